"""Placeholder: being written."""

from tillit.whistle.views.cases import _todo

keyring = unlock = lock = passphrase_change = recover = recovery_key = _todo
