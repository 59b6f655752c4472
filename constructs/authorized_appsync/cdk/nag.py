"""Acknowledging policy-validation findings (cdk-nag's AwsSolutions pack, and any other
plugin) that are deliberate, each with its reason, at the construct that causes them."""

from __future__ import annotations

from aws_cdk import Acknowledgment, Validations
from constructs import IConstruct

__all__ = ["acknowledge"]


def acknowledge(scope: IConstruct, rule_id: str, reason: str) -> None:
    Validations.of(scope).acknowledge(Acknowledgment(id=rule_id, reason=reason))
