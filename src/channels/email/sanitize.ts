// Email HTML made safe to show in the back office: no scripts, no event handlers, no remote content
// (images, CSS urls: they would tell the sender when and where the mail was read), no tracking pixels.
// Inline images (cid:) are rewritten to our files route.
import sanitizeHtml from 'sanitize-html';

export function sanitizeEmailHtml(html: string, cidToUrl: (cid: string) => string | null): string {
  return sanitizeHtml(rewriteCids(html, cidToUrl), {
    allowedTags: [
      'a', 'abbr', 'b', 'blockquote', 'br', 'caption', 'code', 'col', 'colgroup', 'dd', 'div', 'dl', 'dt', 'em', 'font', 'h1', 'h2', 'h3',
      'h4', 'h5', 'h6', 'hr', 'i', 'img', 'li', 'ol', 'p', 'pre', 's', 'small', 'span', 'strong', 'sub', 'sup', 'table', 'tbody', 'td',
      'tfoot', 'th', 'thead', 'tr', 'u', 'ul',
    ],
    allowedAttributes: {
      a: ['href', 'title', 'rel', 'target'],
      img: ['src', 'alt', 'width', 'height'],
      td: ['colspan', 'rowspan', 'align'],
      th: ['colspan', 'rowspan', 'align'],
      '*': ['dir', 'lang'],
    },
    // No style attribute at all: it is where remote CSS urls (background-image) hide.
    allowedSchemes: ['http', 'https', 'mailto', 'tel'],
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    nonTextTags: ['style', 'script', 'textarea', 'option', 'noscript', 'title', 'head'],
    transformTags: {
      a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'noopener noreferrer nofollow', target: '_blank' } }),
    },
    exclusiveFilter: (frame) => {
      if (frame.tag !== 'img') return false;
      const src = frame.attribs.src ?? '';
      // only inline images we resolved to our files route remain; remote ones and pixels go
      return !src.startsWith('/api/v1/files/');
    },
  });
}

/** Rewrites cid: sources to our files route before sanitising (unknown cids are dropped). */
export function rewriteCids(html: string, cidToUrl: (cid: string) => string | null): string {
  return html.replace(/(<img\b[^>]*?\bsrc\s*=\s*)(["']?)cid:([^"'\s>]+)\2/gi, (_m, pre: string, q: string, cid: string) => {
    const url = cidToUrl(decodeURIComponent(cid));
    return url ? `${pre}${q || '"'}${url}${q || '"'}` : `${pre}""`;
  });
}
