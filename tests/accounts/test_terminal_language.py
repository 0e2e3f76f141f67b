"""Management commands speak the operator's language: their locale as gettext
reads it (LC_ALL, LC_MESSAGES, LANG), Simplified Chinese for Chinese, else English."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from chat.accounts.language import for_terminal


@pytest.mark.parametrize(
    "environ, language",
    [
        ({"LANG": "zh_CN.UTF-8"}, "zh-hans"),
        ({"LANG": "zh_SG.UTF-8"}, "zh-hans"),
        ({"LC_ALL": "C.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),  # LC_ALL wins, as in gettext
        ({"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_GB.UTF-8"}, "zh-hans"),
        ({"LANG": "zh_TW.UTF-8"}, "zh-hans"),  # the nearest, as for a zh-TW browser
        ({"LANG": "fr_FR.UTF-8"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({}, "en"),
    ],
)
def test_it_reads_the_operators_locale(environ, language):
    assert for_terminal(environ) == language


@pytest.fixture
def chinese_operator(monkeypatch):
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")


@pytest.mark.django_db
def test_a_chinese_operator_reads_a_commands_report_in_chinese(chinese_operator):
    out = StringIO()

    call_command("remove_unattached_images", stdout=out)

    assert out.getvalue() == "已删除 0 张未附加到消息的图片（0 个文件）。\n"


def test_a_chinese_operator_reads_a_commands_refusal_in_chinese(chinese_operator):
    with pytest.raises(CommandError, match="--older-than 必须是 0 天或更多。"):
        call_command("purge_conversations", "--older-than", "-1")
