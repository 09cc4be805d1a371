"""Words of sign-in, accounts, roles, locks, rollback and the audit trail."""

ZH = {
    "page.login": "登录",
    "login.title": "登录云绩效",
    "login.help": "请输入管理员为您开设的账号和密码。连续输错多次后账号会被暂时锁定。",
    "login.name": "账号",
    "login.password": "密码",
    "login.submit": "登录",
    "login.sso": "单点登录",
    "login.as": "当前用户：{name}（{role}）",
    "login.logout": "退出登录",
    "data.as": "导入人：{name}（{role}）",
    "data.no_upload": "当前账号无权导入数据。登录有上报或管理权限的账号后可导入。",
}

EN = {
    "page.login": "Sign in",
    "login.title": "Sign in to Cloud Performance",
    "login.help": "Enter the account name and password an administrator gave you. Repeated failures lock the account for a while.",
    "login.name": "Account",
    "login.password": "Password",
    "login.submit": "Sign in",
    "login.sso": "Single sign-on",
    "login.as": "Signed in: {name} ({role})",
    "login.logout": "Sign out",
    "data.as": "Imported by: {name} ({role})",
    "data.no_upload": "This account may not import data. Sign in with an account that reports or administers.",
}
