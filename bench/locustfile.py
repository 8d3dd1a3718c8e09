"""The load run of `make bench`: simulated kader doing the opening-day flow against gunicorn.

Each simulated kader logs in with one of the accounts ``manage.py bench_load_prepare`` wrote to
var/bench/load-users.json, then repeats what a kader does on the posyandu's opening day: open the
day's page (the roster) and record a balita's weighing through the htmx entry form.
"""

import json
import os
import random
import re
from pathlib import Path

import urllib3
from locust import HttpUser, between, task

urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)  # our own self-signed certificate

USERS = json.loads((Path(os.environ.get("BENCH_DIR", "var/bench")) / "load-users.json").read_text())
_ACCOUNTS = iter(USERS)  # one account per simulated kader (their children are theirs alone)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


# Seconds between a kader's actions (weighing the next child, reading the KMS). The default, 10-20 s,
# is a practised kader at full speed (the entry target is 15 s a balita, typing included);
# BENCH_LOAD_WAIT=1,3 is the stress profile that finds the machine's capacity.
_WAIT = [float(x) for x in os.environ.get("BENCH_LOAD_WAIT", "10,20").split(",")]


class Kader(HttpUser):
    wait_time = between(*_WAIT)

    def on_start(self):
        self.client.verify = False  # the benchmark's own self-signed certificate
        self.account = dict(next(_ACCOUNTS))
        self.account["children"] = list(self.account["children"])
        page = self.client.get("/akun/masuk/", name="login page")
        token = CSRF.search(page.text).group(1)
        response = self.client.post(
            "/akun/masuk/",
            {"username": self.account["username"], "password": self.account["password"], "csrfmiddlewaretoken": token},
            headers={"Referer": self.client.base_url + "/akun/masuk/"},
            name="login",
        )
        if "Keluar" not in response.text and response.status_code != 200:
            response.failure("login failed")

    @task(1)
    def opening_day(self):
        self.client.get(self.account["day_url"], name="opening-day page")

    @task(3)
    def record_weighing(self):
        if not self.account["children"]:
            self.opening_day()  # everyone weighed: the kader reviews the list
            return
        child = self.account["children"].pop()
        url = f"{self.account['day_url']}catat/{child['pk']}/"
        token = self.client.cookies.get("csrftoken", "")
        weight = f"{child['weight'] + random.uniform(-0.8, 0.8):.1f}".replace(".", ",")  # noqa: S311 - typed the Indonesian way
        with self.client.post(
            url,
            {"weight_kg": weight},
            headers={"X-CSRFToken": token, "HX-Request": "true", "Referer": self.client.base_url + url},
            name="entry POST",
            catch_response=True,
        ) as response:
            if response.status_code != 200 or "HX-Push-Url" not in response.headers:
                reason = f"{type(response.error).__name__}: {response.error}" if response.error else "no result"
                response.failure(f"not saved ({response.status_code}, {reason})")
