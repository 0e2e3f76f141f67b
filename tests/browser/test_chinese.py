"""A browser set to Simplified Chinese (zh-CN) gets the app in Chinese: the
login page, the conversation page (the template's words and the script's),
a gateway failure sentence, and the admin. Model output is not translated."""

import json

from chat.testing.live import PASSWORD
from chat.testing.upstream import Reply
from tests.support.browser import expect

MAKE_STAFF = """
from django.contrib.auth.models import User
User.objects.filter(username="alice").update(is_staff=True, is_superuser=True)
"""


def test_a_chinese_browser_sees_the_app_in_chinese(
    browser, daphne_server, live_site, live_upstream
):
    context = browser.new_context(base_url=daphne_server.url, locale="zh-CN")
    try:
        page = context.new_page()
        page.goto("/")
        expect(page.locator("main")).to_contain_text("登录后即可就你的图片聊天。")
        page.get_by_label("用户名").fill("alice")
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()

        expect(page.locator("#connection")).to_have_text("已连接")  # the script's words
        expect(page.get_by_role("button", name="分享")).to_be_visible()
        expect(page.locator("#message-text")).to_have_attribute(
            "placeholder", "就你的图片提问……（Enter 发送，Shift+Enter 换行）"
        )
        assert page.locator("html").get_attribute("lang") == "zh-hans"

        live_upstream.queue(Reply(status=404, body=json.dumps({"error": {"message": "nope"}})))
        page.locator("#message-text").fill("Hello")
        page.locator("#message-text").press("Enter")
        failed = page.locator(".message.assistant").last
        expect(failed).to_contain_text("网关找不到模型")

        live_site.manage("shell", "-c", MAKE_STAFF)
        page.goto("/admin/")
        expect(page.locator("#site-name, h1").first).to_be_visible()
        expect(page.locator("body")).to_contain_text("最近动作")  # Django admin's own Chinese
    finally:
        context.close()
