"""Test helpers: local servers that replay recorded data so the real clients run offline.

* :mod:`openscope.testing.hubserver`: a Hugging Face Hub over a mirror directory.
* :mod:`openscope.testing.githubserver`: the GitHub REST API over ``../shared/github``.

Both listen on 127.0.0.1 only, on a random port, and never contact the internet.
"""

from openscope.testing.hubserver import Fault, HubServer

__all__ = ["Fault", "HubServer"]
