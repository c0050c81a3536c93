import { ApiError } from '../../lib/api.js';
import { messageOf } from '../../lib/errors.js';
import { contentRulesApi, type ResolvedContent } from './content-rules-api.js';

/** "What would this profile see on this page?", asked of the same resolver the SDK uses. */
export class ResolvePreviewState {
  profile = $state('');
  url = $state('');
  result = $state.raw<ResolvedContent>();
  /** The question the result answers, so the panel can say which one it shows. */
  asked = $state.raw<{ profile: string; url: string }>();
  loading = $state(false);
  error = $state<string>();

  async resolve(): Promise<void> {
    const question = { profile: this.profile.trim(), url: this.url.trim() };
    if (question.profile === '') {
      this.error = 'Give a profile identifier, e.g. email:ada@example.com.';
      return;
    }
    this.loading = true;
    try {
      this.result = await contentRulesApi.resolve(question.profile, question.url);
      this.asked = question;
      this.error = undefined;
    } catch (error) {
      this.result = undefined;
      this.error =
        error instanceof ApiError &&
        error.status === 404 &&
        error.code === 'not_found' &&
        /route/i.test(error.message)
          ? 'This server does not offer the content preview yet (no /v1/content-rules/resolve).'
          : messageOf(error);
    } finally {
      this.loading = false;
    }
  }
}
