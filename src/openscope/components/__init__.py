"""Components: the 17 MOF components and the four dimensions, from evidence."""

from openscope.components.assess import STATUSES, Component, Status, assess
from openscope.components.catalog import COMPONENTS, MOF_VERSION, ComponentSpec
from openscope.components.dimensions import DIMENSIONS, Dimension, summarise

__all__ = [
    "COMPONENTS",
    "DIMENSIONS",
    "MOF_VERSION",
    "STATUSES",
    "Component",
    "ComponentSpec",
    "Dimension",
    "Status",
    "assess",
    "summarise",
]
