"""Words of the store's self-check (python -m metrics verify) on the 数据 page."""

ZH = {
    "verify.title": "数据完整性校验",
    "verify.never": "尚未校验。在服务器上运行下面的命令，校验每个版本的文件、版本链和检查点：",
    "verify.ok": "上次校验（{time} UTC）：数据库完好，{versions} 个版本、{files} 个文件、{checkpoints} 个检查点均与清单一致。",
    "verify.bad": "上次校验（{time} UTC）发现 {n} 个问题，请先修复再导入：",
    "verify.stale": "此后又新增了 {n} 个版本，尚未校验。",
}

EN = {
    "verify.title": "Store integrity",
    "verify.never": "Not verified yet. Run this on the server to check every version's files, the version chain and the checkpoints:",
    "verify.ok": "Last check ({time} UTC): the store is intact; {versions} versions, {files} files and {checkpoints} checkpoints match their manifests.",
    "verify.bad": "Last check ({time} UTC) found {n} problem(s); repair them before importing:",
    "verify.stale": "{n} version(s) have been added since and are not verified yet.",
}
