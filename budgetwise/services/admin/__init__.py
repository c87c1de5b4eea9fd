"""Administration: users, password reset codes, transactions oversight, global categories
and default rules, system health, the audit log and the login log.

Every public function takes ``principal=`` and calls
:func:`~budgetwise.services.auth.require_current_admin` itself (the role re-read from the
database, not trusted from the principal; navigation hiding is not authorization). Every change writes one
:class:`~budgetwise.models.AuditLog` row (who, what, on whom, details, when) in the
same transaction as the change. Nothing here edits or deletes audit rows: there is
no function for it.

The command line acts as :func:`cli_principal`: an administrator with no account,
recorded in the audit log as ``cli@localhost`` with ``actor_id`` NULL.

The package's modules: :mod:`.common` (the CLI principal, pages of rows, the audit writer),
:mod:`.users`, :mod:`.reset_codes`, :mod:`.oversight` (every user's transactions),
:mod:`.global_categories`, :mod:`.global_rules`, :mod:`.health`, :mod:`.logs` (audit and
login logs) and :mod:`.choices` (pickers). Every name of the former module is re-exported.
"""

from __future__ import annotations

from budgetwise.services import claim_public_functions  # noqa: E402
from budgetwise.services.admin.choices import (  # noqa: F401
    category_choices,
    user_choices,
)
from budgetwise.services.admin.common import (  # noqa: F401
    _COLOR,
    CLI_ACTOR_EMAIL,
    LOCKOUT_REASONS,
    MATCH_TYPES,
    MAX_EXPORT_ROWS,
    MAX_PAGE_SIZE,
    Page,
    T,
    _audit,
    _bump_all_data_versions,
    _day_start,
    _is_cli,
    _like,
    cli_principal,
)
from budgetwise.services.admin.global_categories import (  # noqa: F401
    GlobalCategory,
    MergeResult,
    _category_view,
    _check_category_name,
    _check_color,
    _global_categories,
    _global_category,
    archive_global_category,
    create_global_category,
    list_global_categories,
    merge_global_categories,
    rename_global_category,
    set_global_category_color,
)
from budgetwise.services.admin.global_rules import (  # noqa: F401
    GlobalRule,
    _rule_view,
    create_global_rule,
    delete_global_rule,
    list_global_rules,
    update_global_rule,
)
from budgetwise.services.admin.health import (  # noqa: F401
    DatabaseInfo,
    LockedAccount,
    LoginRow,
    SystemHealth,
    SystemTotals,
    database_info,
    locked_accounts,
    logins_per_day,
    recent_failed_logins,
    system_health,
    system_totals,
)
from budgetwise.services.admin.logs import (  # noqa: F401
    AuditRow,
    audit_actions,
    list_audit_log,
    list_login_log,
)
from budgetwise.services.admin.oversight import (  # noqa: F401
    OVERSIGHT_EXPORT_COLUMNS,
    VIEW_ACTION,
    OversightFilter,
    OversightRow,
    _amount_clause,
    _check_amount,
    _currencies_by_digits,
    _describe_filter,
    _oversight_select,
    _oversight_where,
    export_all_transactions_csv,
    list_all_transactions,
    record_oversight_view,
)
from budgetwise.services.admin.reset_codes import (  # noqa: F401
    ResetRequestRow,
    issue_reset_code,
    pending_reset_requests,
)
from budgetwise.services.admin.users import (  # noqa: F401
    DeletionSummary,
    UserRow,
    _issuer,
    _refuse_last_admin,
    _refuse_self,
    _row,
    _transaction_counts,
    _user_or_404,
    create_user,
    delete_user,
    deletion_preview,
    demote_user,
    disable_user,
    enable_user,
    find_user,
    get_user,
    list_users,
    promote_user,
    reset_two_factor,
    unlock_user,
    visitor_count,
)

claim_public_functions(globals(), __name__)
