"""Each domain's public surface is pinned: a change to it is a decision, not an accident."""

from __future__ import annotations

import importlib

import pytest

SURFACES = {
    "laborcommons.access": [
        "ACCESS_LEVELS", "ANONYMOUS", "NODE_ADMIN", "READABLE_BY_ANYONE", "ROLES", "Reader",
        "TokenCreated", "TokenPublic", "UserCreate", "UserPublic", "add_membership",
        "authenticate_password", "create_token", "create_user", "get_user_by_email",
        "grant_role", "list_tokens", "may_discover", "may_edit", "may_manage_organization",
        "may_read_rows", "readable_owner_ids", "reader_for_token", "reader_for_user",
        "reader_for_user_id", "revoke_token", "set_password",
    ],
    "laborcommons.catalog.service": [
        "EXPORT_FORMATS", "Export", "add_version", "create_dataset", "create_organization",
        "dataset_public", "export_version", "get_dataset", "get_organization", "get_version",
        "list_datasets", "list_organizations", "list_versions", "organization_public",
        "query_rows", "readable_version", "require_edit", "save_upload", "update_dataset",
        "version_public",
    ],
    "laborcommons.demo": [
        "DemoBundle", "DemoFile", "DemoOrganization", "generate_demo",
        "generate_facility_records",
    ],
    "laborcommons.api": ["create_app"],
    "laborcommons.ingest": [
        "FORMATS", "ISSUE_TYPES", "ColumnProfile", "ColumnStats", "ColumnType", "IngestResult",
        "ValidationIssue", "ValidationReport", "read_to_parquet",
    ],
    "laborcommons.web": ["install_web", "render_error_page"],
}  # fmt: skip


@pytest.mark.parametrize("module", sorted(SURFACES))
def test_public_surface(module: str) -> None:
    imported = importlib.import_module(module)
    assert sorted(imported.__all__) == sorted(SURFACES[module])
    for name in imported.__all__:
        assert hasattr(imported, name), f"{module}.{name} is exported but missing"
