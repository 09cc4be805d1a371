"""Strings of the 通报 page (the bulletin itself is written in Chinese: it is an official document)."""

ZH = {
    "page.bulletin": "通报",
    "bul.title": "一旬一通报",
    "bul.scope": "通报范围",
    "bul.draft": "草稿（未签发）：签发后分配期号；签发需要管理员账号。",
    "bul.issued": "已签发：{number}，{date}，{user}签发，按数据版本 v{version} 生成。",
    "bul.preview": "预览",
    "bul.download": "下载",
    "bul.format": "格式",
    "bul.make": "生成",
    "bul.made": "已生成 {file}（{size} KB，用时 {seconds} 秒）",
    "bul.save": "下载 {fmt}",
    "bul.issue": "签发",
    "bul.issue_help": "分配本年度下一个期号并记录所用数据版本；期间锁定功能启用后同时锁定该期间",
    "bul.issue_done": "已签发为{number}",
    "bul.chart": "图：{title}",
    "bul.note": "说明：{text}",
    "bul.cli": "命令行生成同一份通报：",
}

EN = {
    "page.bulletin": "Bulletin",
    "bul.title": "Bulletin (一旬一通报)",
    "bul.scope": "Scope",
    "bul.draft": "Draft (not issued): issuing assigns the number; it needs an administrator's account.",
    "bul.issued": "Issued: {number}, {date}, by {user}, written from store version v{version}.",
    "bul.preview": "Preview",
    "bul.download": "Download",
    "bul.format": "Format",
    "bul.make": "Generate",
    "bul.made": "Generated {file} ({size} KB in {seconds} s)",
    "bul.save": "Download {fmt}",
    "bul.issue": "Issue",
    "bul.issue_help": "Assigns this year's next number and records the store version; locks the period once the "
                      "period lock exists",
    "bul.issue_done": "Issued as {number}",
    "bul.chart": "Chart: {title}",
    "bul.note": "Note: {text}",
    "bul.cli": "The same bulletin from the command line:",
}
