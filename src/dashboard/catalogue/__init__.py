"""The catalogue: every YAML file of data/catalogue/, read by one safe loader into frozen objects.

Pure code (no streamlit). :func:`read_catalogue_yaml` gives a file's checked, frozen mapping;
:class:`Param` is the one type for a number with unit, range and source; :func:`param` reads one,
:func:`all_params` and :func:`params_table` list them all. Every refusal is a
:class:`CatalogueError` naming the file, the key path and the reason. See docs/architecture.md.
"""

from dashboard.catalogue.errors import CatalogueError
from dashboard.catalogue.lists import (
    SERVICE_LEVELS,
    indicator_entries,
    service_entries,
    service_ids,
)
from dashboard.catalogue.params import (
    SETTING_FIELDS,
    VALUE_KEYS,
    Param,
    bounds,
    fail,
    join,
    mapping,
    number,
    one_of,
    parse_param,
    require,
    sequence,
    text,
)
from dashboard.catalogue.reader import (
    CATALOGUE_DIR,
    catalogue_path,
    freeze,
    read_catalogue_yaml,
    thaw,
)
from dashboard.catalogue.registry import (
    NOT_PARAM_FILES,
    PARAM_FILES,
    TABLE_COLUMNS,
    UNCERTAIN_FIELDS,
    all_params,
    clear_caches,
    file_params,
    lookup,
    param,
    param_files,
    param_list,
    params_table,
    section,
)

__all__ = [
    "CATALOGUE_DIR",
    "NOT_PARAM_FILES",
    "PARAM_FILES",
    "SERVICE_LEVELS",
    "SETTING_FIELDS",
    "TABLE_COLUMNS",
    "UNCERTAIN_FIELDS",
    "VALUE_KEYS",
    "CatalogueError",
    "Param",
    "all_params",
    "bounds",
    "catalogue_path",
    "clear_caches",
    "fail",
    "file_params",
    "freeze",
    "indicator_entries",
    "join",
    "lookup",
    "mapping",
    "number",
    "one_of",
    "param",
    "param_files",
    "param_list",
    "params_table",
    "parse_param",
    "read_catalogue_yaml",
    "require",
    "section",
    "sequence",
    "service_entries",
    "service_ids",
    "text",
    "thaw",
]
