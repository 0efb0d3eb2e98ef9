"""Read the rule set: the shipped audit/rules.toml, with a bureau's own file merged over it by rule id."""

from __future__ import annotations

import logging
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from audit.model import RuleSet, RuleSpec
from kernel.errors import RulesError

log = logging.getLogger(__name__)
SHIPPED = "rules.toml"


def _parse(text: str, where: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(f"规则文件 {where} 不是有效的 TOML：{exc}") from exc


def shipped_text() -> str:
    """The rule file shipped with the package."""
    return resources.files("audit").joinpath(SHIPPED).read_text(encoding="utf-8")


def _kind(value: Any) -> str:
    """A parameter's kind as a bureau would read it: 数字, 文本 or 列表 (a threshold must stay a number)."""
    if isinstance(value, bool):
        return "布尔值"
    if isinstance(value, int | float):
        return "数字"
    return "列表" if isinstance(value, list) else "文本"


def _merge(base: dict[str, Any], own: dict[str, Any], where: str) -> dict[str, Any]:
    """Own tables over the shipped ones; params merge key by key so a bureau changes one threshold only."""
    unknown_top = set(own) - {"version", "rules"}
    if unknown_top:
        raise RulesError(f"规则文件 {where} 含未知的键：{', '.join(sorted(unknown_top))}")
    rules = {rid: dict(spec) for rid, spec in base["rules"].items()}
    for rid, spec in own.get("rules", {}).items():
        if rid not in rules:
            raise RulesError(f"规则文件 {where} 含未知的规则编号：{rid}")
        if not isinstance(spec, dict):
            raise RulesError(f"规则文件 {where} 中 {rid} 应为表（[rules.{rid}]）")
        params = rules[rid].get("params", {})
        for key, value in spec.get("params", {}).items():
            if key not in params:
                raise RulesError(f"规则文件 {where} 中 {rid} 含未知参数：{key}")
            if _kind(value) != _kind(params[key]):
                raise RulesError(f"规则文件 {where} 中 {rid}.{key} 应为{_kind(params[key])}，实际为 {value!r}")
        merged = {**rules[rid], **{k: v for k, v in spec.items() if k != "params"}}
        merged["params"] = {**params, **spec.get("params", {})}
        rules[rid] = merged
    return {"version": own.get("version", base["version"]), "rules": rules}


def _build(data: dict[str, Any], origin: list[str]) -> RuleSet:
    try:
        specs = {rid: RuleSpec(id=rid, **spec) for rid, spec in data["rules"].items()}
        return RuleSet(version=str(data["version"]), rules=specs, origin=origin)
    except (ValidationError, TypeError, KeyError) as exc:
        raise RulesError(f"规则文件无效：{exc}") from exc


def load_rules(path: Path | None = None) -> RuleSet:
    """The shipped rules, with the TOML file at `path` (JIXIAO_AUDIT_RULES) merged over them when given."""
    data = _parse(shipped_text(), SHIPPED)
    origin = [f"audit/{SHIPPED} v{data.get('version')}"]
    if path is not None:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise RulesError(f"无法读取规则文件 {path}：{exc.strerror or exc}") from exc
        data = _merge(data, _parse(text, str(path)), str(path))
        origin.append(str(path))
        log.info("audit rules: %s merged over the shipped set", path)
    return _build(data, origin)
