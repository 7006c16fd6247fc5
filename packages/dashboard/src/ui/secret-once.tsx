// A signing secret, shown the one time the API returns it.
import { CopyButton } from './copy-button';

export function SecretOnce({ secret, title }: { secret: string; title: string }) {
  return (
    <section class="secret-once" aria-labelledby="secret-title">
      <h2 id="secret-title">{title}</h2>
      <p>
        Copy it now and keep it with your receiver: <strong>it will not be shown again.</strong>
      </p>
      <div class="secret-row">
        <code class="secret" data-testid="secret">
          {secret}
        </code>
        <CopyButton text={secret} label="Copy secret" />
      </div>
    </section>
  );
}
