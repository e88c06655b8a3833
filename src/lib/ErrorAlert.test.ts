// Rendered to HTML by React itself (no browser): what the alert says, and that it says nothing
// while there is no error.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ErrorAlert } from './ErrorAlert.tsx';
import { NetworkError } from './api-errors.ts';

const render = (error: unknown, prefix?: string) => renderToStaticMarkup(createElement(ErrorAlert, { error, prefix }));

describe('ErrorAlert', () => {
  it('renders nothing while there is no error', () => {
    expect(render(null)).toBe('');
    expect(render(undefined)).toBe('');
  });

  it('announces the error in plain words, after its prefix', () => {
    const words = 'The server cannot be reached. Your text is kept on this device.';
    expect(render(new NetworkError(new TypeError('Failed to fetch')), 'Not saved: ')).toBe(
      `<p class="field-error" role="alert">Not saved: ${words}</p>`,
    );
    expect(render(new NetworkError(new TypeError('Failed to fetch')))).toBe(`<p class="field-error" role="alert">${words}</p>`);
  });
});
