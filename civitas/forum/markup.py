"""Markdown for forum posts, rendered once when a post is written and sanitised with nh3: only
plain formatting survives; any HTML or script the author typed is shown as text or removed."""

import markdown
import nh3

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "blockquote", "code", "pre", "a", "h3", "h4"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}


def render(text: str) -> str:
    html = markdown.markdown(text, extensions=["sane_lists"], output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener ugc",
    )
