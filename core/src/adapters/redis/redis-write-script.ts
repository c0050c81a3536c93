import { MAX_COUNTER } from '../shared/key-value-checks.js';
import { redisScript } from './redis-script.js';

/**
 * The Lua script behind `RedisKeyValueStore.write`.
 *
 * MULTI/EXEC runs every command even when one fails at run time (INCRBY on "abc", HSET on a plain
 * value), so it cannot promise "all or none". A script is atomic too, but does not roll back
 * either; so it works in two passes. Pass 1 replays the batch on a model of the keys it touches
 * (their kind, the values counters read, which fields and members exist) and refuses the batch
 * on the first write Redis would reject. Only then does pass 2 write. Nothing runs in between,
 * so the model cannot go stale.
 *
 * Encoding: `KEYS[i]` is the key of write i; ARGV holds, per write, an op code and its arguments,
 * variable-length lists preceded by their length. The script returns the value of the last
 * increment of a plain value (for `incrBy`), or nil.
 *
 * A refusal comes back as the error `USPA_KV <write index> <reason> [<Redis type>]`.
 */
export const WRITE_SCRIPT = redisScript(`
local MAX = ${MAX_COUNTER}
local model = {}

local function counter(value)
  if type(value) == 'number' then return value end
  if value == false or value == nil then return 0 end
  if value ~= '0' and not string.match(value, '^%-?[1-9]%d*$') then return nil end
  if #value > 17 then return nil end
  local n = tonumber(value)
  if n > MAX or n < -MAX then return nil end
  return n
end

-- A key as the batch has left it so far. fresh: nothing of the stored key is left to consult.
local function state(key)
  local s = model[key]
  if s then return s end
  local kind = redis.call('TYPE', key)['ok']
  s = { kind = kind, size = 0, items = {}, fresh = kind == 'none' }
  if kind == 'hash' then s.size = redis.call('HLEN', key)
  elseif kind == 'zset' then s.size = redis.call('ZCARD', key) end
  model[key] = s
  return s
end

local function reset(s, kind, value)
  s.kind, s.value, s.size, s.items, s.fresh = kind, value, 0, {}, true
end

-- The current value of a hash field (false when absent), or true for a present zset member.
local function item(s, key, name)
  local known = s.items[name]
  if known ~= nil then return known end
  if s.fresh then return false end
  if s.kind == 'hash' then return redis.call('HGET', key, name) end
  return redis.call('ZSCORE', key, name) ~= false
end

local function put(s, key, name, value)
  if item(s, key, name) == false then s.size = s.size + 1 end
  s.items[name] = value
end

local function remove(s, key, name)
  if item(s, key, name) ~= false then s.size = s.size - 1 end
  s.items[name] = false
  if s.size == 0 then reset(s, 'none') end
end

local function expect(s, kind, i)
  if s.kind ~= 'none' and s.kind ~= kind then return 'USPA_KV ' .. i .. ' wrong_kind ' .. s.kind end
  if s.kind == 'none' then reset(s, kind) end
end

local function add(current, by, i)
  local n = counter(current)
  if n == nil then return nil, 'USPA_KV ' .. i .. ' not_integer' end
  local sum = n + by
  if sum > MAX or sum < -MAX then return nil, 'USPA_KV ' .. i .. ' out_of_range' end
  return sum
end

-- Pass 1: refuse the batch before writing anything.
local a = 1
for i = 1, #KEYS do
  local key, op = KEYS[i], ARGV[a]
  local s = state(key)
  local problem
  if op == 'set' then reset(s, 'string', ARGV[a + 1]); a = a + 3
  elseif op == 'del' then reset(s, 'none'); a = a + 1
  elseif op == 'incr' then
    problem = expect(s, 'string', i)
    if not problem then
      if s.value == nil and not s.fresh then s.value = redis.call('GET', key) end
      s.value, problem = add(s.value, tonumber(ARGV[a + 1]), i)
    end
    a = a + 3
  elseif op == 'hset' or op == 'zadd' then
    local n = tonumber(ARGV[a + 1])
    problem = expect(s, op == 'hset' and 'hash' or 'zset', i)
    for j = 0, n - 1 do
      if problem then break end
      if op == 'hset' then put(s, key, ARGV[a + 2 + 2 * j], ARGV[a + 3 + 2 * j])
      else put(s, key, ARGV[a + 3 + 2 * j], true) end
    end
    a = a + 2 + 2 * n
  elseif op == 'hdel' or op == 'zrem' then
    local n = tonumber(ARGV[a + 1])
    problem = expect(s, op == 'hdel' and 'hash' or 'zset', i)
    for j = 0, n - 1 do
      if problem or s.kind == 'none' then break end
      remove(s, key, ARGV[a + 2 + j])
    end
    a = a + 2 + n
  elseif op == 'hincr' then
    problem = expect(s, 'hash', i)
    if not problem then
      local sum
      sum, problem = add(item(s, key, ARGV[a + 1]), tonumber(ARGV[a + 2]), i)
      if sum then put(s, key, ARGV[a + 1], sum) end
    end
    a = a + 3
  elseif op == 'zincr' then
    problem = expect(s, 'zset', i)
    if not problem then put(s, key, ARGV[a + 1], true) end
    a = a + 3
  else
    problem = 'USPA_KV ' .. i .. ' unknown_op'
  end
  if problem then return redis.error_reply(problem) end
end

-- Pass 2: every write is known to succeed.
local result = false
a = 1
for i = 1, #KEYS do
  local key, op = KEYS[i], ARGV[a]
  if op == 'set' then
    if ARGV[a + 2] == '' then redis.call('SET', key, ARGV[a + 1])
    else redis.call('SET', key, ARGV[a + 1], 'EX', ARGV[a + 2]) end
    a = a + 3
  elseif op == 'del' then redis.call('UNLINK', key); a = a + 1
  elseif op == 'incr' then
    result = redis.call('INCRBY', key, ARGV[a + 1])
    -- Only a key without expiry gets one (EXPIRE NX): a rate-limit window must not slide.
    if ARGV[a + 2] ~= '' and redis.call('TTL', key) == -1 then redis.call('EXPIRE', key, ARGV[a + 2]) end
    a = a + 3
  elseif op == 'hset' or op == 'zadd' then
    local n = tonumber(ARGV[a + 1])
    for j = 0, n - 1 do
      if op == 'hset' then redis.call('HSET', key, ARGV[a + 2 + 2 * j], ARGV[a + 3 + 2 * j])
      else redis.call('ZADD', key, ARGV[a + 2 + 2 * j], ARGV[a + 3 + 2 * j]) end
    end
    a = a + 2 + 2 * n
  elseif op == 'hdel' or op == 'zrem' then
    local n = tonumber(ARGV[a + 1])
    for j = 0, n - 1 do redis.call(op == 'hdel' and 'HDEL' or 'ZREM', key, ARGV[a + 2 + j]) end
    a = a + 2 + n
  elseif op == 'hincr' then redis.call('HINCRBY', key, ARGV[a + 1], ARGV[a + 2]); a = a + 3
  elseif op == 'zincr' then redis.call('ZINCRBY', key, ARGV[a + 2], ARGV[a + 1]); a = a + 3
  end
end
return result
`);
