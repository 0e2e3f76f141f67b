"""/metrics: who may read it. The values two processes report together are in
tests/system/test_metrics_across_processes.py."""

TOKEN = "a-metrics-token-for-the-tests"


def test_it_refuses_metrics_without_the_token_or_an_allowed_address(client, settings):
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_ALLOWED_ADDRESSES = []

    anonymous = client.get("/metrics")
    wrong = client.get("/metrics", headers={"Authorization": "Bearer not-the-token"})
    right = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})

    assert anonymous.status_code == wrong.status_code == 403
    assert "METRICS_TOKEN" in anonymous.content.decode()
    assert right.status_code == 200
    assert b"tokengate_answers_streaming" in right.content


def test_it_serves_metrics_to_an_allowed_address_without_a_token(client, settings):
    import ipaddress

    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_ADDRESSES = [ipaddress.ip_network("10.0.0.0/8")]

    inside = client.get("/metrics", REMOTE_ADDR="10.1.2.3")
    outside = client.get("/metrics", REMOTE_ADDR="192.0.2.7")

    assert inside.status_code == 200
    assert outside.status_code == 403
