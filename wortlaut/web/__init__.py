"""The web interface (`wortlaut serve`): pages and a JSON API over a Store; see app.create_app."""

from .app import create_app

__all__ = ["create_app"]
