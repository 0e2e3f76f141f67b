"""A browser set to Simplified Chinese (zh-CN) gets the app in Chinese: the
login page, the conversation page (the template's words and the scripts'),
a gateway failure sentence, the admin and the review workstation's own pages.
Model output is not translated."""

import json
import re

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
        expect(failed.get_by_role("button", name="重试")).to_be_visible()  # versions.js

        # A notice under an answer comes as a code; the page says it from its catalogue,
        # as it streams in and after a reload.
        live_upstream.queue(Reply(tokens=["A long ", "story"], finish_reason="length"))
        page.locator("#message-text").fill("Tell me everything")
        page.locator("#message-text").press("Enter")
        cut = "回答达到了 token 上限，后面的内容被截断了。"
        expect(page.locator(".message.assistant").last.locator(".problem")).to_have_text(cut)
        page.reload()
        expect(page.locator(".message.assistant").last.locator(".problem")).to_have_text(cut)
        expect(page.locator(".conversation-group h2").first).to_have_text("今天")  # sidebar.js

        live_site.manage("shell", "-c", MAKE_STAFF)
        page.goto("/admin/")
        expect(page.locator("#site-name, h1").first).to_be_visible()
        expect(page.locator("body")).to_contain_text("最近动作")  # Django admin's own Chinese
        expect(page.locator("#review-links")).to_contain_text("队列中的下一个对话")

        page.goto("/admin/chat/conversation/summary/")
        expect(page.locator("#content-main")).to_contain_text("审阅人一致性")
        expect(page.locator(".review-days thead")).to_contain_text("首个 token p50")

        page.goto("/admin/chat/conversation/")
        page.locator("#result_list a", has_text="Hello").first.click()
        expect(page).to_have_url(re.compile(r"/admin/chat/conversation/\d+/review/"))
        panel = page.locator(".review-panel")
        expect(panel).to_contain_text("我的决定")
        expect(panel.get_by_role("button", name="通过")).to_be_visible()
        expect(page.locator(".review-user-feedback").first).to_contain_text("用户反馈")
        expect(page.locator(".review-transcript")).to_contain_text("Hello")  # not translated
    finally:
        context.close()
