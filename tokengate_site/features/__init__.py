"""The product's own settings, a module per part, each read from the
environment as settings.py reads Django's (tokengate_site/README.md has every
variable). settings.py imports them all at its end, so each is still read as
`django.conf.settings.NAME`."""

from tokengate_site.features.accounts import *  # noqa: F403
from tokengate_site.features.compare import *  # noqa: F403
from tokengate_site.features.documents import *  # noqa: F403
from tokengate_site.features.gateway import *  # noqa: F403
from tokengate_site.features.images import *  # noqa: F403
from tokengate_site.features.limits import *  # noqa: F403
from tokengate_site.features.operations import *  # noqa: F403
from tokengate_site.features.review import *  # noqa: F403
from tokengate_site.features.runs import *  # noqa: F403
from tokengate_site.features.sharing import *  # noqa: F403
