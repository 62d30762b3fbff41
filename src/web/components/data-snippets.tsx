import { useId, useRef, useState, type KeyboardEvent } from 'react';

export const KEY_PLACEHOLDER = '<WRITE_KEY>';

/** This server's address as the browser reaches it (the dashboard is served by the server itself). */
export const serverUrl = (): string => window.location.origin;

export interface Snippet {
  readonly id: string;
  readonly label: string;
  readonly language: string;
  readonly code: string;
}

/** Code that sends a first event to this server with the given key. */
export function buildSnippets(url: string, writeKey: string): Snippet[] {
  const key = JSON.stringify(writeKey).slice(1, -1);
  return [
    {
      id: 'curl',
      label: 'curl',
      language: 'sh',
      code: `curl -u '${writeKey}:' ${url}/v1/track \\
  -H 'content-type: application/json' \\
  -d '{"userId": "u-123", "event": "Order Completed", "properties": {"revenue": 42.5, "currency": "USD"}}'`,
    },
    {
      id: 'segment-node',
      label: 'Node (Segment)',
      language: 'js',
      code: `// npm install @segment/analytics-node
import { Analytics } from '@segment/analytics-node';

const analytics = new Analytics({ writeKey: '${key}', host: '${url}' });
analytics.identify({ userId: 'u-123', traits: { email: 'jane@example.com' } });
analytics.track({ userId: 'u-123', event: 'Order Completed', properties: { revenue: 42.5, currency: 'USD' } });
await analytics.closeAndFlush();`,
    },
    {
      id: 'rudder-node',
      label: 'Node (RudderStack)',
      language: 'js',
      code: `// npm install @rudderstack/rudder-sdk-node
import Analytics from '@rudderstack/rudder-sdk-node';

const client = new Analytics('${key}', { dataPlaneUrl: '${url}' });
client.identify({ userId: 'u-123', traits: { email: 'jane@example.com' } });
client.track({ userId: 'u-123', event: 'Order Completed', properties: { revenue: 42.5, currency: 'USD' } });
await client.flush();`,
    },
    {
      id: 'browser',
      label: 'Browser (analytics.js)',
      language: 'js',
      code: `// npm install @segment/analytics-next
import { AnalyticsBrowser } from '@segment/analytics-next';

// The SDK loads its settings from cdnURL; this server's settings send every event back to it.
export const analytics = AnalyticsBrowser.load({ writeKey: '${key}', cdnURL: '${url}' });
analytics.page();
analytics.identify('u-123', { email: 'jane@example.com' });
analytics.track('Order Completed', { revenue: 42.5, currency: 'USD' });`,
    },
  ];
}

/** Copies text; falls back to a hidden textarea where the Clipboard API is unavailable (plain http). */
async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.appendChild(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    return ok;
  }
}

/** A button that copies `text` and says so (politely announced). */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  return (
    <span className="copy">
      <button
        type="button"
        aria-label={label}
        onClick={() => {
          void copyText(text).then((ok) => {
            setState(ok ? 'copied' : 'failed');
            window.setTimeout(() => setState('idle'), 2000);
          });
        }}
      >
        Copy
      </button>
      <span role="status" aria-live="polite" className="muted copy-status">
        {state === 'copied' ? 'Copied' : state === 'failed' ? 'Select the text and copy it' : ''}
      </span>
    </span>
  );
}

/** Tabs of code snippets (arrow keys move between tabs), each with a copy button. */
export function SnippetTabs({ snippets, label }: { snippets: readonly Snippet[]; label: string }) {
  const [active, setActive] = useState(snippets[0]?.id ?? '');
  const base = useId();
  const tabs = useRef<Array<HTMLButtonElement | null>>([]);
  const current = snippets.find((s) => s.id === active) ?? snippets[0];
  if (!current) return null;
  const onKey = (e: KeyboardEvent, i: number) => {
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0) return;
    e.preventDefault();
    const next = (i + step + snippets.length) % snippets.length;
    setActive(snippets[next].id);
    tabs.current[next]?.focus();
  };
  return (
    <div className="snippets">
      <div role="tablist" aria-label={label} className="tabs">
        {snippets.map((s, i) => (
          <button
            key={s.id}
            ref={(el) => {
              tabs.current[i] = el;
            }}
            type="button"
            role="tab"
            id={`${base}-tab-${s.id}`}
            aria-selected={s.id === current.id}
            aria-controls={`${base}-panel`}
            tabIndex={s.id === current.id ? 0 : -1}
            onClick={() => setActive(s.id)}
            onKeyDown={(e) => onKey(e, i)}
          >
            {s.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${base}-panel`} aria-labelledby={`${base}-tab-${current.id}`} className="snippet" data-snippet={current.id}>
        <pre>
          <code>{current.code}</code>
        </pre>
        <CopyButton text={current.code} label={`Copy the ${current.label} snippet`} />
      </div>
    </div>
  );
}
