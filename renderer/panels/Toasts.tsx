import { useEffect } from 'react';
import { useAppStore } from '../store';
import type { Message } from '../store/uiSlice';

/** Errors stay longer than confirmations: they usually need reading. */
const LIFETIME_MS = { error: 8000, info: 3000 } as const;

/** Messages in the corner: refused connections, failed opens, "Saved". Click to dismiss. */
export function Toasts() {
  const messages = useAppStore((s) => s.messages);
  return (
    <div className="toasts" aria-live="polite">
      {messages.map((m) => (
        <Toast key={m.id} message={m} />
      ))}
    </div>
  );
}

function Toast({ message }: { message: Message }) {
  const dismiss = useAppStore((s) => s.dismissMessage);
  useEffect(() => {
    const t = setTimeout(() => dismiss(message.id), LIFETIME_MS[message.kind]);
    return () => clearTimeout(t);
  }, [dismiss, message]);
  return (
    <div
      className={`toast ${message.kind}`}
      role={message.kind === 'error' ? 'alert' : 'status'}
      onClick={() => dismiss(message.id)}
      data-testid="toast"
    >
      {message.text}
      {message.actions?.map((a) => (
        <button
          key={a.label}
          type="button"
          className="toast-action"
          onClick={(e) => {
            e.stopPropagation();
            a.run();
            dismiss(message.id);
          }}
          data-testid="toast-action"
        >
          {a.label}
        </button>
      ))}
    </div>
  );
}
