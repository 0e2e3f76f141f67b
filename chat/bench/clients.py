"""Websocket clients for the benchmark, in their own process, as browsers would be.

    python -m chat.bench.clients < job.json > results.json

The job names the servers, one (session cookie, conversation code) per client
("direct": the upstream's URL instead, to read it with httpx as a baseline),
the text each sends (each client adds its own tag, `client_tag`, by which its
request is found among the upstream's) and the number of tokens it expects.
Every client connects first; then all send at once and read their answer to
its final event. No Django here: this process only speaks the websocket protocol.
"""

import asyncio
import json
import sys

import websockets

from chat.bench.figures import StreamCount, now_us

# Websocket handshakes under way at once: daphne drops a connection the app has
# not accepted within 5 s, and hundreds at once on a busy machine take longer.
HANDSHAKES = asyncio.Semaphore(20)


def client_tag(number):
    return f"client={number}"


def client_text(job, number):
    return f"{job['text']} {client_tag(number)}"


async def one_client(job, number, ready, go):
    server = job["servers"][number % len(job["servers"])]
    cookie, code = job["clients"][number]
    headers = {"Origin": server["http"], "Cookie": f"sessionid={cookie}"}
    count = StreamCount()
    result = {"status": "no answer", "answer_complete": False}
    url = f"{server['ws']}/ws/chat/{code}/"
    try:
        async with HANDSHAKES:  # people do not all open the page in the same instant
            socket = await websockets.connect(
                url, additional_headers=headers, max_size=None, open_timeout=60,
                ping_interval=None,
            )  # fmt: skip
        async with socket:
            ready.append(number)
            await go.wait()
            result["sent"] = now_us()
            await socket.send(json.dumps({"action": "send", "text": client_text(job, number),
                                          "model": job["model"]}))  # fmt: skip
            parts = {"text": "", "html": ""}
            async with asyncio.timeout(job["timeout"]):
                async for frame in socket:
                    received = now_us()
                    event = json.loads(frame)
                    kind = event["type"]
                    if kind == "token":
                        count.token(event["offset"], event["text"], received)
                    elif kind == "part":
                        parts[event["field"]] += event["text"]
                    elif kind in ("done", "error"):
                        message = event.get("message") or {}
                        text = parts["text"] if "parts" in message else message.get("text", "")
                        result["status"] = message.get("status", event.get("code", kind))
                        result["answer_complete"] = len(text.split()) == job["tokens"]
                        break
    except (OSError, TimeoutError, websockets.WebSocketException) as error:
        result["status"] = f"client error: {type(error).__name__}"
    return {**result, **_figures(count, job)}


def _figures(count, job):
    return {
        "first_latency": count.first_latency,
        "latencies": count.latencies,
        "lost": count.lost(job["tokens"]),
        "out_of_order": count.out_of_order,
        "gaps": count.gaps,
        "worst_gap": count.worst_gap,
        "arrivals": [count.arrivals[0], count.arrivals[-1]] if count.arrivals else [],
        # The first token's stamp: its arrival less its latency.
        "first_stamp": count.arrivals[0] - count.latencies[0] if count.arrivals else None,
    }


async def direct_client(job, number, ready, go):
    """Read the upstream itself with httpx, as chat/gateway/client.py does: the baseline."""
    import httpx
    from httpx_sse import aconnect_sse

    count = StreamCount()
    body = {"model": job["model"], "stream": True,
            "messages": [{"role": "user", "content": client_text(job, number)}]}  # fmt: skip
    async with httpx.AsyncClient(
        timeout=job["timeout"], limits=httpx.Limits(max_connections=None)
    ) as client:
        ready.append(number)
        await go.wait()
        sent = now_us()
        async with aconnect_sse(
            client, "POST", f"{job['direct']}/chat/completions", json=body
        ) as source:
            async for event in source.aiter_sse():
                if event.data == "[DONE]":
                    break
                chunk = json.loads(event.data)
                for choice in chunk.get("choices") or []:
                    text = (choice.get("delta") or {}).get("content")
                    if text:
                        count.token(count.end, text, now_us())
    return {"status": "complete", "answer_complete": True, "sent": sent, **_figures(count, job)}


async def run(job):
    ready, go = [], asyncio.Event()
    client = direct_client if job.get("direct") else one_client
    tasks = [asyncio.create_task(client(job, n, ready, go)) for n in range(job["count"])]
    async with asyncio.timeout(120):
        while not all(n in ready or task.done() for n, task in enumerate(tasks)):
            await asyncio.sleep(0.05)
    start = now_us()
    go.set()
    results = await asyncio.gather(*tasks)
    return {"start": start, "end": now_us(), "streams": results}


if __name__ == "__main__":
    print(json.dumps(asyncio.run(run(json.load(sys.stdin)))))
