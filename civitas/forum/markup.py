"""Markdown for forum posts, rendered once when a post is written and sanitised with nh3: only
plain formatting survives; any HTML or script the author typed is shown as text.

The renderer is markdown-it-py with the CommonMark rules, whose work grows linearly with the
text (Python-Markdown's grew with the square of the number of "[", so one post could hold a
worker and, inside a transaction, the database's write lock for seconds)."""

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "blockquote", "code", "pre", "a", "h3", "h4"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}

# "html": False turns typed HTML into text before nh3 sees it; no linkify (bare addresses stay
# text, as before), no typographer. CommonMark caps nesting (blockquotes, lists) at 20 levels.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def render(text: str) -> str:
    html = _markdown.render(text)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener ugc",
    ).strip()
