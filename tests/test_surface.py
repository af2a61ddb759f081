"""Each domain's public surface is pinned: a change to it is a decision, not an accident."""

from __future__ import annotations

import importlib

import pytest

SURFACES = {
    "laborcommons.access": [
        "ACCESS_LEVELS", "ANONYMOUS", "NODE_ADMIN", "READABLE_BY_ANYONE", "ROLES", "Reader",
        "TokenCreated", "TokenPublic", "UserCreate", "UserPublic", "add_membership",
        "approve_request", "audit", "authenticate_password", "create_grant", "create_group",
        "create_token", "create_user", "dataset_requests", "dataset_trail", "decline_request",
        "get_user_by_email", "grant_role", "group_public", "list_grants", "list_groups",
        "list_tokens", "may_discover", "may_edit", "may_manage_organization", "may_read_rows",
        "my_requests", "read_basis", "readable_owner_ids", "reader_for_token",
        "reader_for_user", "reader_for_user_id", "request_access", "revoke_grant",
        "revoke_token", "set_group_member", "set_password", "who_sees",
        "SignInBlocked", "clear_sign_in_failures", "end_sessions", "record_failed_sign_in",
        "sign_in_blocked", "throttle_keys",
        "dataset_address", "dataset_refs_at", "refuse_shadowing", "resolve_dataset_ref",
        "AUDIENCE_KINDS", "anonymous_reader", "audience_label", "in_audience",
        "parse_audience", "reader_audiences",
        "SIGNUP_POLICIES", "IssuedLink", "OrganizationMember", "TokenCreate",
        "accept_invitation", "change_password", "invite_member", "issue_link", "list_members",
        "mail_configured", "open_link", "pending_invitations", "remove_member",
        "request_password_reset", "reset_password", "revoke_own_token", "send_mail",
        "set_member_role", "sign_up", "signed_in_user",
    ],
    "laborcommons.privacy": [
        "Hierarchy", "KAnonymityParameters", "KAnonymityReport", "KAnonymityResult",
        "PII_KINDS", "PSEUDONYM_LENGTH", "PiiFinding", "PiiReport", "RiskReport", "anonymize",
        "date_hierarchy", "hierarchy_from_rows", "interval_hierarchy", "new_pseudonym_key",
        "pseudonym", "pseudonymize", "read_hierarchies", "read_hierarchy",
        "reidentification_risk", "scan_columns", "scan_table",
    ],
    "laborcommons.catalog.standards": [
        "CATALOG_PAGE_SIZE", "DescribedDataset", "DescribedPage", "Publisher", "RDF_FORMATS",
        "catalog_document", "catalog_graph", "dataset_document", "dataset_graph",
        "dataset_json_ld", "describe", "described_dataset", "described_page",
        "node_publisher", "robots_txt", "script_json", "serialize", "sitemap_urls",
        "sitemap_xml",
    ],
    "laborcommons.catalog.service": [
        "ENTITY_COLUMNS", "EXPORT_FORMATS", "Export", "ROW_COLUMN_SOURCES", "ROW_KEY",
        "Repair", "RowColumns",
        "add_version", "added_row_columns", "attachment_bytes", "check_export_format",
        "create_dataset", "seal_attachment",
        "create_organization", "dataset_metadata", "dataset_public", "escape_formula",
        "export_version", "get_dataset", "get_organization", "get_version", "is_withheld",
        "key_status", "list_datasets", "list_organizations", "list_versions",
        "organization_public", "original_file", "parquet_source", "query_rows",
        "column_distributions",
        "read_parquet_table",
        "readable_rows_clause",
        "readable_version", "reindex", "require_edit", "reseal_all", "reseal_store",
        "rotate_master_key", "rows_readable", "save_upload", "update_dataset",
        "version_withheld",
        "version_metadata", "version_public", "visible_datasets_clause", "withheld_clause",
        "withheld_version_ids", "data_package", "dataset_checklist", "publishing_checklist",
        "datacite_json", "datacite_xml", "set_doi",
        "approve_organization", "organizations_of", "pending_organizations",
        "update_organization", "visible_organization",
    ],
    "laborcommons.evidence.service": [
        "create_metric", "deviations", "entity_evidence", "get_metric", "is_steward",
        "linked_kinds", "list_answers", "list_mappings", "list_metrics", "map_column",
        "suggest", "verify_answer", "MAX_ATTACHMENT_BYTES", "attach_file", "attachment_file",
        "list_attachments", "get_answer",
    ],
    "laborcommons.demo": [
        "DemoBundle", "DemoFile", "DemoOrganization", "generate_demo",
        "generate_facility_records",
    ],
    "laborcommons.entities.service": [
        "EXPORT_FORMATS", "SCHEMES", "Sight", "canonical_roots", "record_evidence_read",
        "shown_many", "visible_source_clause", "accept_candidate", "add_entity_identifier",
        "add_identifier", "add_relation", "alias_ids", "bulk_review", "canonical_entity",
        "canonical_identifier", "changes_since", "create_entity", "create_link_job",
        "datasets_mentioning", "entity_by_identifier", "entity_history", "entity_public",
        "entity_summary", "entity_visible", "execute_link_job", "export_entities",
        "get_link_job", "iter_rows", "link_version_inline", "linked_versions", "list_candidates",
        "merge_entities", "record_event", "reject_candidate", "require_visible",
        "resolve_entity", "row_identities", "search_entities", "searchable", "split_entity",
        "suggest_mapping", "update_entity",
        # the facility map and paged relations
        "MAX_POINTS", "RELATIONS_PAGE_SIZE", "related_places", "relations_page",
        "search_places", "version_places",
        "RELATION_KINDS", "may_change_entity", "require_entity_change",
    ],
    "laborcommons.catalog.ckan": [
        "ACTIONS", "PREFIXES", "Call", "SearchQuery", "ckan_error", "organization_dict",
        "package_dict", "package_list", "package_search", "run_action",
    ],
    "laborcommons.api": ["create_app"],
    "laborcommons.ingest": [
        "FORMATS", "ISSUE_TYPES", "ColumnProfile", "ColumnStats", "ColumnType", "IngestResult",
        "ValidationIssue", "ValidationReport", "read_to_parquet",
    ],
    "laborcommons.web": ["install_web", "render_error_page"],
    "laborcommons.harvest": [
        "LEASE", "HarvestFailed", "add_source", "due_sources", "list_remote_datasets",
        "list_sources", "remove_source", "run_due", "run_source",
    ],
}  # fmt: skip


@pytest.mark.parametrize("module", sorted(SURFACES))
def test_public_surface(module: str) -> None:
    imported = importlib.import_module(module)
    assert sorted(imported.__all__) == sorted(SURFACES[module])
    for name in imported.__all__:
        assert hasattr(imported, name), f"{module}.{name} is exported but missing"
