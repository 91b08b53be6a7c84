import { expect, test } from 'vitest';
import { renderTemplate, TemplateError, validateTemplate } from './templates';

test('variables are escaped in HTML but plain in text', async () => {
  const out = await renderTemplate(
    { subject: 'Hi {{ name }}', body: 'Dear {{ name }}\nsee {{ url }}' },
    { name: '<b>Bob & Co</b>', url: 'https://x.test/i/abc' },
  );
  expect(out.subject).toBe('Hi <b>Bob & Co</b>');
  expect(out.text).toContain('Dear <b>Bob & Co</b>');
  expect(out.html).toContain('Dear &lt;b&gt;Bob &amp; Co&lt;/b&gt;<br>');
  expect(out.html).toContain('<a href="https://x.test/i/abc">');
});

test('templates cannot read files or run forever', async () => {
  expect(() => validateTemplate({ subject: '{% include "/etc/passwd" %}', body: '' })).not.toThrow();
  await expect(renderTemplate({ subject: '{% include "/etc/passwd" %}', body: '' }, {})).rejects.toBeInstanceOf(
    TemplateError,
  );
  await expect(
    renderTemplate({ subject: 'x', body: '{% for i in (1..100000000) %}{{ i }}{% endfor %}' }, {}),
  ).rejects.toBeInstanceOf(TemplateError);
  expect(() => validateTemplate({ subject: '{% if %}', body: '' })).toThrow(TemplateError);
});
