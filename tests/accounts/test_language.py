"""The language: the browser's Accept-Language, or the one chosen on the login
page or in settings (kept with the person, for every browser they log in
from); the gateway's failure sentences reach the socket in it."""

import json

import pytest
from asgiref.sync import sync_to_async

from chat.accounts.models import LanguagePreference
from chat.testing.upstream import Reply
from tests.support.gateway_helpers import ask
from tests.support.users import PASSWORD


def test_a_chinese_browser_gets_the_login_page_in_chinese(client, db):
    page = client.get("/login/", headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"})
    html = page.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "登录后即可就你的图片聊天。" in html and "用户名" in html
    assert page["Content-Language"] == "zh-hans"


def test_an_english_browser_gets_english(client, db):
    html = client.get("/login/", headers={"Accept-Language": "en-GB"}).content.decode()
    assert "Log in to chat about your images." in html and '<html lang="en">' in html


def test_the_language_chosen_on_the_login_page_holds_for_that_browser(client, db):
    response = client.post("/account/language/", {"language": "zh-hans", "next": "/login/"})
    assert response.status_code == 302 and response["Location"] == "/login/"
    html = client.get("/login/", headers={"Accept-Language": "en"}).content.decode()
    assert "用户名" in html


def test_an_unknown_language_or_a_foreign_next_changes_nothing(client, db):
    response = client.post(
        "/account/language/", {"language": "xx", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"
    assert "django_language" not in response.cookies


def test_the_choice_in_settings_follows_the_person_to_another_browser(alice_client, alice, client):
    alice_client.post("/account/language/", {"language": "zh-hans", "next": "/settings/"})
    assert LanguagePreference.objects.get(user=alice).language == "zh-hans"
    alice_client.logout()
    alice_client.cookies.clear()

    other = client  # a fresh browser, in English
    other.post("/login/", {"username": "alice", "password": PASSWORD},
               headers={"Accept-Language": "en"})  # fmt: skip
    page = other.get("/settings/", headers={"Accept-Language": "en"}).content.decode()
    assert "你的设置" in page


@pytest.mark.django_db(transaction=True)
async def test_a_gateway_failure_reaches_a_chinese_reader_in_chinese(client, upstream):
    from tests.support.users import make_user

    alice = await sync_to_async(make_user)("alice")
    await sync_to_async(client.force_login)(alice)
    await sync_to_async(client.post)("/account/language/", {"language": "zh-hans"})
    upstream.queue(Reply(status=404, body=json.dumps({"error": {"message": "no such model"}})))

    events, answer = await ask(alice, client)

    assert events[-1]["type"] == "error"
    assert answer.error == (
        "网关找不到模型“gpt-4o”（404）。管理员可以修改 TOKENGATE_MODELS；"
        "也可能是 TOKENGATE_BASE_URL 设置有误。"
    )
    assert events[-1]["message"]["error"] == answer.error
