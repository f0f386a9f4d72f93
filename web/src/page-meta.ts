/**
 * A page's title and description in the document head (`<title>`, `description`, Open Graph),
 * so a link copied from the address bar and pasted into a chat that runs the page's script
 * previews well; crawlers that run none get the server's (ADR 0045). Leaving the page puts
 * back what index.html says.
 */
import { onBeforeUnmount } from 'vue';

export interface PageMeta {
  readonly title: string;
  readonly description: string;
}

const TAGS = [
  ['name', 'description', 'description'],
  ['property', 'og:title', 'title'],
  ['property', 'og:description', 'description'],
] as const;

function metaTag(attribute: 'name' | 'property', key: string): HTMLMetaElement {
  let tag = document.head.querySelector<HTMLMetaElement>(`meta[${attribute}="${key}"]`);
  if (!tag) {
    tag = document.createElement('meta');
    tag.setAttribute(attribute, key);
    document.head.append(tag);
  }
  return tag;
}

/** Sets the document's title and descriptions; resolves nothing, undoes itself when the page unmounts. */
export function usePageMeta(): (meta: PageMeta) => void {
  const before = { title: document.title, description: metaTag('name', 'description').content };
  const apply = (meta: PageMeta) => {
    document.title = meta.title;
    for (const [attribute, key, field] of TAGS) metaTag(attribute, key).content = meta[field];
    metaTag('property', 'og:type').content = 'website';
    metaTag('property', 'og:url').content = window.location.href;
  };
  onBeforeUnmount(() => apply(before));
  return apply;
}
