"""Users, API tokens, groups, grants, access requests, the audit trail, and the one
decision about who may read what."""

from laborcommons.access import audit
from laborcommons.access.grants import create_grant, list_grants, revoke_grant
from laborcommons.access.groups import create_group, group_public, list_groups, set_group_member
from laborcommons.access.policy import (
    ACCESS_LEVELS,
    ANONYMOUS,
    NODE_ADMIN,
    READABLE_BY_ANYONE,
    ROLES,
    Reader,
    may_discover,
    may_edit,
    may_manage_organization,
    may_read_rows,
    read_basis,
    readable_owner_ids,
)
from laborcommons.access.requests import (
    approve_request,
    dataset_requests,
    decline_request,
    my_requests,
    request_access,
)
from laborcommons.access.schemas import TokenCreated, TokenPublic, UserCreate, UserPublic
from laborcommons.access.service import (
    add_membership,
    authenticate_password,
    create_token,
    create_user,
    get_user_by_email,
    grant_role,
    list_tokens,
    reader_for_token,
    reader_for_user,
    reader_for_user_id,
    revoke_token,
    set_password,
)
from laborcommons.access.trail import dataset_trail

__all__ = [
    "ACCESS_LEVELS",
    "ANONYMOUS",
    "NODE_ADMIN",
    "READABLE_BY_ANYONE",
    "ROLES",
    "Reader",
    "TokenCreated",
    "TokenPublic",
    "UserCreate",
    "UserPublic",
    "add_membership",
    "approve_request",
    "audit",
    "authenticate_password",
    "create_grant",
    "create_group",
    "create_token",
    "create_user",
    "dataset_requests",
    "dataset_trail",
    "decline_request",
    "get_user_by_email",
    "grant_role",
    "group_public",
    "list_grants",
    "list_groups",
    "list_tokens",
    "may_discover",
    "may_edit",
    "may_manage_organization",
    "may_read_rows",
    "my_requests",
    "read_basis",
    "readable_owner_ids",
    "reader_for_token",
    "reader_for_user",
    "reader_for_user_id",
    "request_access",
    "revoke_grant",
    "revoke_token",
    "set_group_member",
    "set_password",
]
