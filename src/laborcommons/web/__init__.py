"""Server-rendered pages (Jinja2), usable without JavaScript."""

from laborcommons.web.pages import install_web, render_error_page

__all__ = ["install_web", "render_error_page"]
