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

from budgetwise.services.admin.common import (  # noqa: F401
    _audit,
    _bump_all_data_versions,
    CLI_ACTOR_EMAIL,
    cli_principal,
    _COLOR,
    _day_start,
    _is_cli,
    _like,
    LOCKOUT_REASONS,
    MATCH_TYPES,
    MAX_EXPORT_ROWS,
    MAX_PAGE_SIZE,
    Page,
    _page_bounds,
    T,
)
from budgetwise.services.admin.users import (  # noqa: F401
    create_user,
    delete_user,
    deletion_preview,
    DeletionSummary,
    demote_user,
    disable_user,
    enable_user,
    find_user,
    get_user,
    _issuer,
    list_users,
    _lock_active_admins,
    promote_user,
    _refuse_last_admin,
    _refuse_self,
    reset_two_factor,
    _row,
    _transaction_counts,
    unlock_user,
    _user_or_404,
    UserRow,
)
from budgetwise.services.admin.reset_codes import (  # noqa: F401
    issue_reset_code,
    pending_reset_requests,
    ResetRequestRow,
)
from budgetwise.services.admin.oversight import (  # noqa: F401
    _amount_clause,
    _check_amount,
    _currencies_by_digits,
    _describe_filter,
    export_all_transactions_csv,
    list_all_transactions,
    OVERSIGHT_EXPORT_COLUMNS,
    _oversight_select,
    _oversight_where,
    OversightFilter,
    OversightRow,
)
from budgetwise.services.admin.global_categories import (  # noqa: F401
    archive_global_category,
    _category_view,
    _check_category_name,
    _check_color,
    create_global_category,
    _global_categories,
    _global_category,
    GlobalCategory,
    list_global_categories,
    merge_global_categories,
    MergeResult,
    rename_global_category,
    set_global_category_color,
)
from budgetwise.services.admin.global_rules import (  # noqa: F401
    create_global_rule,
    delete_global_rule,
    GlobalRule,
    list_global_rules,
    _rule_view,
    update_global_rule,
)
from budgetwise.services.admin.health import (  # noqa: F401
    database_info,
    DatabaseInfo,
    locked_accounts,
    LockedAccount,
    LoginRow,
    logins_per_day,
    recent_failed_logins,
    system_health,
    system_totals,
    SystemHealth,
    SystemTotals,
)
from budgetwise.services.admin.logs import (  # noqa: F401
    audit_actions,
    AuditRow,
    list_audit_log,
    list_login_log,
)
from budgetwise.services.admin.choices import (  # noqa: F401
    category_choices,
    user_choices,
)

from budgetwise.services import claim_public_functions  # noqa: E402

claim_public_functions(globals(), __name__)
