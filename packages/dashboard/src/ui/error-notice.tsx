// A failed call, said in the page where it happened.
import { ApiError } from '../api/client';

export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.message || error.code;
  return error instanceof Error ? error.message : String(error);
}

export function ErrorNotice({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p class="notice notice-error" role="alert">
      {messageOf(error)}
    </p>
  );
}
