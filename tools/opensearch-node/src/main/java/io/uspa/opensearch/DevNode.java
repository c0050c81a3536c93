package io.uspa.opensearch;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.painless.PainlessPlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * A real single-node OpenSearch for USPA development and integration tests, started straight from
 * the Maven Central jars (no distribution, no Docker).
 *
 * <p>Starting {@link Node} directly skips the distribution's bootstrap: no security manager, no
 * bootstrap checks, no jar-hell check, no JNA. That is fine for a loopback-only dev node and not
 * meant for production.
 *
 * <p>Options (argument wins over system property, which wins over the default):
 *
 * <ul>
 *   <li>{@code --port N} / {@code -Duspa.opensearch.port=N}: HTTP port, default 9200
 *   <li>{@code --transport-port N} / {@code -Duspa.opensearch.transportPort=N}: transport port,
 *       default: first free port in 9300-9400
 *   <li>{@code --data DIR} / {@code -Duspa.opensearch.data=DIR}: data directory (kept); default: a
 *       fresh temporary directory, deleted on shutdown
 *   <li>{@code --home DIR} / {@code -Duspa.opensearch.home=DIR}: {@code path.home}; default: a fresh
 *       temporary directory per run (avoids stale locks), deleted on shutdown
 * </ul>
 *
 * <p>The node's threads are daemons, so {@code main} blocks on a latch; a shutdown hook (SIGTERM,
 * SIGINT) closes the node and releases it.
 */
public final class DevNode extends Node {

    private static final String CLUSTER_NAME = "uspa-dev";
    private static final String NODE_NAME = "uspa-dev-node";

    private static final List<Class<? extends Plugin>> PLUGINS =
            List.of(Netty4Plugin.class, CommonAnalysisPlugin.class, PainlessPlugin.class);

    private DevNode(Environment environment, Collection<Class<? extends Plugin>> plugins) {
        super(environment, plugins, true);
    }

    public static void main(String[] args) throws Exception {
        String port = option(args, "--port", "uspa.opensearch.port", "9200");
        String transportPort = option(args, "--transport-port", "uspa.opensearch.transportPort", "9300-9400");
        String dataArg = option(args, "--data", "uspa.opensearch.data", null);
        String homeArg = option(args, "--home", "uspa.opensearch.home", null);

        Path home = homeArg != null ? Files.createDirectories(Path.of(homeArg).toAbsolutePath())
                : Files.createTempDirectory("uspa-opensearch-home-");
        Path data = dataArg != null ? Files.createDirectories(Path.of(dataArg).toAbsolutePath())
                : Files.createTempDirectory("uspa-opensearch-data-");

        // Registered before anything heavy so that a signal during startup still cleans up.
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicReference<DevNode> started = new AtomicReference<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                DevNode running = started.get();
                if (running != null) {
                    running.close();
                    if (!running.awaitClose(20, TimeUnit.SECONDS)) {
                        System.err.println("[uspa-opensearch] node did not close within 20s");
                    }
                }
            } catch (Exception e) {
                System.err.println("[uspa-opensearch] error while closing the node: " + e);
            } finally {
                if (homeArg == null) deleteQuietly(home);
                if (dataArg == null) deleteQuietly(data);
                stopped.countDown();
            }
        }, "uspa-opensearch-shutdown"));

        // The environment expects these to exist even when empty: plugins come from the classpath.
        Files.createDirectories(home.resolve("modules"));
        Files.createDirectories(home.resolve("plugins"));
        Files.createDirectories(home.resolve("config"));
        Path logs = Files.createDirectories(home.resolve("logs"));

        Settings settings = Settings.builder()
                .put("path.home", home.toString())
                .put("path.data", data.toString())
                .put("path.logs", logs.toString())
                .put("cluster.name", CLUSTER_NAME)
                .put("node.name", NODE_NAME)
                .put("discovery.type", "single-node")
                .put("network.host", "127.0.0.1")
                .put("http.port", port)
                .put("transport.port", transportPort)
                .put("cluster.routing.allocation.disk.threshold_enabled", false)
                .put("indices.breaker.total.use_real_memory", false)
                .build();

        try {
            Environment environment = InternalSettingsPreparer.prepareEnvironment(
                    settings, Collections.emptyMap(), null, () -> NODE_NAME);
            DevNode node = new DevNode(environment, PLUGINS);
            started.set(node);
            node.start();
        } catch (Exception e) {
            e.printStackTrace();
            System.err.println("[uspa-opensearch] failed to start: " + e); // last, so log tails show it
            System.exit(1); // runs the shutdown hook, which closes what was started
        }
        System.out.printf("[uspa-opensearch] OpenSearch started: http://127.0.0.1:%s (cluster %s, data %s%s)%n",
                port, CLUSTER_NAME, data, dataArg == null ? ", temporary" : "");
        stopped.await();
    }

    /** {@code --name value} or {@code --name=value} from args, else the system property, else the default. */
    private static String option(String[] args, String name, String property, String fallback) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals(name)) {
                if (i + 1 >= args.length) throw new IllegalArgumentException(name + " needs a value");
                return args[i + 1];
            }
            if (args[i].startsWith(name + "=")) return args[i].substring(name.length() + 1);
        }
        String value = System.getProperty(property);
        return value != null && !value.isBlank() ? value : fallback;
    }

    private static void deleteQuietly(Path root) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            System.err.println("[uspa-opensearch] could not delete " + root + ": " + e);
        }
    }
}
