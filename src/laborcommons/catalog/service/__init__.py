"""Catalog use cases. Services take the session as a keyword and never commit."""

from laborcommons.catalog.service.checklist import dataset_checklist, publishing_checklist
from laborcommons.catalog.service.datacite import datacite_json, datacite_xml
from laborcommons.catalog.service.datapackage import data_package
from laborcommons.catalog.service.datasets import (
    create_dataset,
    dataset_metadata,
    dataset_public,
    get_dataset,
    list_datasets,
    require_edit,
    rows_readable,
    update_dataset,
)
from laborcommons.catalog.service.distributions import column_distributions
from laborcommons.catalog.service.doi import set_doi
from laborcommons.catalog.service.encryption import (
    attachment_bytes,
    parquet_source,
    read_parquet_table,
    reseal_all,
    seal_attachment,
)
from laborcommons.catalog.service.exports import (
    EXPORT_FORMATS,
    Export,
    check_export_format,
    escape_formula,
    export_version,
    original_file,
)
from laborcommons.catalog.service.organizations import (
    approve_organization,
    create_organization,
    get_organization,
    list_organizations,
    organization_public,
    organizations_of,
    pending_organizations,
    update_organization,
    visible_organization,
)
from laborcommons.catalog.service.repair import Repair, reseal_store
from laborcommons.catalog.service.rotation import key_status, rotate_master_key
from laborcommons.catalog.service.row_columns import (
    ENTITY_COLUMNS,
    ROW_COLUMN_SOURCES,
    ROW_KEY,
    RowColumns,
    added_row_columns,
)
from laborcommons.catalog.service.rows import query_rows
from laborcommons.catalog.service.search import reindex
from laborcommons.catalog.service.uploads import save_upload
from laborcommons.catalog.service.versions import (
    add_version,
    get_version,
    list_versions,
    readable_version,
    version_metadata,
    version_public,
)
from laborcommons.catalog.service.visibility import readable_rows_clause, visible_datasets_clause
from laborcommons.catalog.service.withheld import (
    is_withheld,
    version_withheld,
    withheld_clause,
    withheld_version_ids,
)

__all__ = [
    "ENTITY_COLUMNS",
    "EXPORT_FORMATS",
    "ROW_COLUMN_SOURCES",
    "ROW_KEY",
    "Export",
    "Repair",
    "RowColumns",
    "add_version",
    "added_row_columns",
    "approve_organization",
    "attachment_bytes",
    "check_export_format",
    "column_distributions",
    "create_dataset",
    "create_organization",
    "data_package",
    "datacite_json",
    "datacite_xml",
    "dataset_checklist",
    "dataset_metadata",
    "dataset_public",
    "escape_formula",
    "export_version",
    "get_dataset",
    "get_organization",
    "get_version",
    "is_withheld",
    "key_status",
    "list_datasets",
    "list_organizations",
    "list_versions",
    "organization_public",
    "organizations_of",
    "original_file",
    "parquet_source",
    "pending_organizations",
    "publishing_checklist",
    "query_rows",
    "read_parquet_table",
    "readable_rows_clause",
    "readable_version",
    "reindex",
    "require_edit",
    "reseal_all",
    "reseal_store",
    "rotate_master_key",
    "rows_readable",
    "save_upload",
    "seal_attachment",
    "set_doi",
    "update_dataset",
    "update_organization",
    "version_metadata",
    "version_public",
    "version_withheld",
    "visible_datasets_clause",
    "visible_organization",
    "withheld_clause",
    "withheld_version_ids",
]
