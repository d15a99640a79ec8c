#!/usr/bin/env python3
"""label in a real browser (headless Chromium through Selenium): grade with the
keyboard only, reload mid-way, kill -9 the server and restart it, finish, and
compare the grader's CSV byte for byte; an answer carrying <script> and <img
onerror> payloads runs nothing in the page; an HTML answer renders its <svg>
inside its sandboxed frame; the page logs no console errors.
Needs Debian's chromium, chromium-driver and python3-selenium
(scripts/install-deps); without them it says so and exits 77 (ctest: skipped).
With SCREENSHOT.png, it also takes the README's picture of the page (docs/label.png).
Usage: browser.py LABEL_BINARY [SCREENSHOT.png]"""
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

SKIPPED = 77
SYSTEM_PYTHON = "/usr/bin/python3"

try:
    from selenium import webdriver
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.chrome.service import Service as ChromeService
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
except ImportError:
    # Debian's python3-selenium is in the system Python; ctest may run another one.
    if os.path.exists(SYSTEM_PYTHON) and os.path.realpath(sys.executable) != os.path.realpath(SYSTEM_PYTHON) \
            and subprocess.run([SYSTEM_PYTHON, "-c", "import selenium"], capture_output=True).returncode == 0:
        os.execv(SYSTEM_PYTHON, [SYSTEM_PYTHON, *sys.argv])
    print("label browser test skipped: python3-selenium is not installed (scripts/install-deps chromium chromium-driver python3-selenium)")
    sys.exit(SKIPPED)

CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
if not (os.path.exists(CHROMEDRIVER) and os.path.exists(CHROMIUM)):
    print("label browser test skipped: chromium and chromium-driver are not installed")
    sys.exit(SKIPPED)

LABEL = os.path.abspath(sys.argv[1])
EXPECTED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "browser-expected.csv")
SCREENSHOT = os.path.abspath(sys.argv[2]) if len(sys.argv) > 2 else None
EXAMPLES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples")
failures = []


def check(condition, what):
    if not condition:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


PAYLOAD = '<script>window.pwned = 1</script><img src="x" onerror="window.pwned = 2; fetch(\'/api/grade\')">'
CHART = """<!DOCTYPE html><html><body><div id="chart"></div><script>
fetch('data.csv').then((r) => r.text()).then((text) => {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('id', 'drawn'); svg.setAttribute('data-rows', String(text.trim().split('\\n').length - 1));
  document.getElementById('chart').appendChild(svg);
});
</script></body></html>"""
ITEMS = [
    {"challenge": "add", "model": "m1", "type": "code", "response": "```js\nexport const add = (a, b) => a + b;\n```"},
    {"challenge": "add", "model": "m2", "type": "code", "response": PAYLOAD},
    {"challenge": "chart", "model": "m3", "type": "visualization", "files": {"index.html": CHART, "data.csv": "x,y\n1,2\n3,4\n"}},
    {"challenge": "chart", "model": "m4", "type": "visualization", "response": "no chart, sorry"},
]
# What the grader types on each item, in the order the page shows them.
KEYS = [["4", "shift+3"], ["0"], ["5", "shift+5", "n:axis labels, missing"], ["2", "shift+1"]]


class Server:
    def __init__(self, folder, port, files_port):
        env = dict(os.environ, SOURCE_DATE_EPOCH="1748962380")
        self.process = subprocess.Popen([LABEL, "--rate", "items.jsonl", "--grader", "ej-fox", "--out", "grades",
                                         "--port", str(port), "--files-port", str(files_port), "-q"],
                                        cwd=folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.url = self.process.stdout.readline().split(" ", 1)[1].strip()

    def kill9(self):
        self.process.kill()
        self.process.wait()


def wait_for(condition, what, seconds=10):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if condition():
                return True
        except Exception:  # the page may be mid-render
            pass
        time.sleep(0.05)
    check(False, f"waited for {what}")
    return False


def press(driver, key):
    actions = ActionChains(driver)
    if key.startswith("shift+"):
        actions.key_down(Keys.SHIFT).send_keys(key[6:]).key_up(Keys.SHIFT)
    elif key.startswith("n:"):
        actions.send_keys("n").pause(0.1).send_keys(key[2:]).send_keys(Keys.ESCAPE)
    else:
        actions.send_keys(key)
    actions.perform()


def saved(driver):
    return driver.find_element(By.ID, "status").text == "saved"


def main():
    with tempfile.TemporaryDirectory(prefix="prefline-label-browser-") as folder:
        with open(os.path.join(folder, "items.jsonl"), "w") as out:
            for item in ITEMS:
                out.write(json.dumps(item) + "\n")
        port, files_port = free_port(), free_port()
        server = Server(folder, port, files_port)
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900"]:
            options.add_argument(argument)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        driver = webdriver.Chrome(service=ChromeService(executable_path=CHROMEDRIVER), options=options)
        titles = []
        frames = 0
        try:
            driver.get(server.url)
            wait_for(lambda: saved(driver), "the page to load")
            for position, keys in enumerate(KEYS):
                wait_for(lambda: driver.find_element(By.ID, "where").text.startswith(f"{position + 1} /"),
                         f"item {position + 1}")
                titles.append(driver.find_element(By.ID, "where").text)
                if "chart" in titles[-1] and driver.find_elements(By.TAG_NAME, "iframe"):
                    frame = driver.find_element(By.TAG_NAME, "iframe")
                    frames += 1
                    check(frame.get_attribute("sandbox") == "allow-scripts", "the answer's frame is sandboxed")
                    driver.switch_to.frame(frame)
                    wait_for(lambda: driver.find_element(By.ID, "drawn").get_attribute("data-rows") == "2",
                             "the chart's <svg> drawn from its data file")
                    driver.switch_to.default_content()
                for key in keys:
                    press(driver, key)
                    wait_for(lambda: saved(driver), f"'{key}' saved")
                if position == 1:
                    driver.refresh()  # a reload mid-way keeps the place and the grades
                    wait_for(lambda: saved(driver) and driver.find_element(By.ID, "where").text.startswith("2 /"),
                             "the reload to come back to item 2")
                    check(driver.find_element(By.CLASS_NAME, "fail").text == "auto-fail (0)", "a reload shows the auto-fail")
                if position == 2:
                    server.kill9()
                    server = Server(folder, port, files_port)
                press(driver, "d")
            check(frames == 1, "the HTML answer was shown in a frame")
            check(driver.execute_script("return window.pwned === undefined"), "the payload ran nothing in the page")
            # While the server is killed and restarted, requests fail on the network: expected, and retried.
            restart = ("ERR_CONNECTION_RESET", "ERR_CONNECTION_REFUSED", "ERR_EMPTY_RESPONSE")
            errors = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"
                      and not (entry["source"] == "network" and any(code in entry["message"] for code in restart))]
            check(not errors, f"no console errors: {errors}")
        finally:
            driver.quit()
            server.kill9()
        order = [title.split(" · ", 1)[1] for title in titles]
        check(sorted(order) == ["add", "add", "chart", "chart"], "titles show the challenge, never the model")
        with open(os.path.join(folder, "grades", "ej-fox.csv"), "rb") as sheet:
            rows = sheet.read().decode()
        # The grader's order comes from the name alone, so the whole file is known.
        with open(EXPECTED, "rb") as expected:
            check(rows == expected.read().decode(), f"the sheet matches {EXPECTED} byte for byte:\n{rows}")
        check(rows.startswith("challenge,model,type,passFail,grade,aesthetics,reviewedBy,reviewedAt,notes\n"), "the vizhub header")
        expected_cells = [("pass", "4", "3", ""), ("fail", "0", "0", ""), ("pass", "5", "5", "\"axis labels, missing\""),
                          ("pass", "2", "1", "")]
        lines = rows.splitlines()[1:]
        check(len(lines) == 4, f"four rows: {rows}")
        for line, (pass_fail, grade, aesthetics, notes) in zip(lines, expected_cells):
            cells = line.split(",", 3)
            check(cells[3] == f"{pass_fail},{grade},{aesthetics},ej-fox,2025-06-03T14:53:00.000Z,{notes}",
                  f"row {line!r}")
        with open(os.path.join(folder, "items.jsonl")) as items:
            models = {json.loads(line)["model"] for line in items}
        check({line.split(",")[1] for line in lines} == models, "every item graded once")
        if payload_row := [line for line in lines if ",m2," in line]:
            check(payload_row[0].split(",")[3] != "", "the payload item was graded")


def compare():
    """--compare: vote with the keys, then check each vote's sides as shown."""
    with tempfile.TemporaryDirectory(prefix="prefline-label-browser-") as folder:
        with open(os.path.join(folder, "pairs.jsonl"), "w") as out:
            for i in range(4):
                out.write(json.dumps({"id": i, "prompt": f"question {i}", "chosen": f"good answer {i}",
                                      "rejected": f"bad answer {i}", "metadata": {"chosen_model": "x", "rejected_model": "y"}}) + "\n")
        env = dict(os.environ, SOURCE_DATE_EPOCH="1748962380")
        process = subprocess.Popen([LABEL, "--compare", "pairs.jsonl", "--grader", "alice", "--out", "votes", "--port", "0",
                                    "--criteria", "accuracy", "--a-id", "metadata.chosen_model",
                                    "--b-id", "metadata.rejected_model", "-q"],
                                   cwd=folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        url = process.stdout.readline().split(" ", 1)[1].strip()
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage"]:
            options.add_argument(argument)
        driver = webdriver.Chrome(service=ChromeService(executable_path=CHROMEDRIVER), options=options)
        left_was_good = []
        try:
            driver.get(url)
            wait_for(lambda: saved(driver), "the compare page to load")
            for position in range(4):
                wait_for(lambda: driver.find_element(By.ID, "where").text.startswith(f"{position + 1} /"), f"pair {position + 1}")
                left = driver.find_elements(By.CLASS_NAME, "side")[0].text
                left_was_good.append("good answer" in left)
                # Always the better answer, wherever it is shown: 1 when it is on the left, 3 when on the right.
                press(driver, "1" if left_was_good[-1] else "3")
                wait_for(lambda: saved(driver), "the accuracy vote saved")
                press(driver, "2")  # overall: equal
                wait_for(lambda: saved(driver), "the overall vote saved")
                press(driver, "d")
        finally:
            driver.quit()
            process.kill()
            process.wait()
        with open(os.path.join(folder, "votes", "alice.votes.jsonl")) as lines:
            votes = [json.loads(line) for line in lines]
        check(len(votes) == 8, "two votes per pair")
        for vote in votes:
            if vote["criterion"] == "accuracy":
                check(vote["winner"] == "a", "the better answer (side a) won wherever it was shown")
            else:
                check(vote["winner"] == "tie", "equal is a tie")
        shown = [vote["shown"] for vote in votes if vote["criterion"] == "accuracy"]
        check(shown == ["a" if good else "b" for good in left_was_good], "shown records the side on the left")
        check(0 < shown.count("b") < 4, "sides were swapped on some pairs, not all")


SHOT_CHART = """<!DOCTYPE html><html><head><style>body{font:12px sans-serif;margin:8px}</style></head><body>
<h3>AAPL closing price</h3><div id="chart"></div><script>
fetch('data.csv').then((r) => r.text()).then((text) => {
  const rows = text.trim().split('\\n').slice(1).map((l) => l.split(',')).map(([d, s, p]) => [d, Number(p)]);
  const w = 640, h = 220, pad = 40, max = Math.max(...rows.map((r) => r[1]));
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('width', w); svg.setAttribute('height', h);
  const bar = (w - 2 * pad) / rows.length;
  rows.forEach(([d, p], i) => {
    const r = document.createElementNS(ns, 'rect');
    const y = h - pad - (h - 2 * pad) * p / max;
    r.setAttribute('x', pad + i * bar + 1); r.setAttribute('y', y);
    r.setAttribute('width', bar - 2); r.setAttribute('height', h - pad - y); r.setAttribute('fill', 'steelblue');
    svg.appendChild(r);
  });
  const axis = document.createElementNS(ns, 'line');
  axis.setAttribute('x1', pad); axis.setAttribute('x2', w - pad); axis.setAttribute('y1', h - pad); axis.setAttribute('y2', h - pad);
  axis.setAttribute('stroke', 'black'); svg.appendChild(axis);
  document.getElementById('chart').appendChild(svg);
});
</script></body></html>"""


def screenshot(path):
    """README's picture (docs/label.png): the vizhub stockPriceChart challenge (its prompt and
    data.csv from examples/) with an answer whose index.html draws the bars with plain
    JavaScript (the vizhub answers load d3 from a CDN, unreachable offline), graded 4 and 3
    with a note."""
    prompt = next(json.loads(l) for l in open(os.path.join(EXAMPLES, "challenges.jsonl"))
                  if json.loads(l)["challenge"] == "stockPriceChart")
    answer = next(json.loads(l) for l in open(os.path.join(EXAMPLES, "responses.jsonl"))
                  if json.loads(l)["challenge"] == "stockPriceChart")
    with tempfile.TemporaryDirectory(prefix="prefline-label-shot-") as folder:
        with open(os.path.join(folder, "items.jsonl"), "w") as out:
            out.write(json.dumps({"challenge": "stockPriceChart", "model": "m", "files": {
                "index.html": SHOT_CHART, "data.csv": answer["files"]["data.csv"]}}) + "\n")
        with open(os.path.join(folder, "prompts.jsonl"), "w") as out:
            out.write(json.dumps(prompt) + "\n")
        server = subprocess.Popen([LABEL, "--rate", "items.jsonl", "--prompts", "prompts.jsonl", "--grader", "ej-fox",
                                   "--out", "grades", "--port", "0", "-q"], cwd=folder, stdout=subprocess.PIPE, text=True)
        url = server.stdout.readline().split(" ", 1)[1].strip()
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000"]:
            options.add_argument(argument)
        driver = webdriver.Chrome(service=ChromeService(executable_path=CHROMEDRIVER), options=options)
        try:
            driver.get(url)
            wait_for(lambda: saved(driver), "the page to load")
            ActionChains(driver).send_keys("4").key_down(Keys.SHIFT).send_keys("3").key_up(Keys.SHIFT).perform()
            time.sleep(0.5)
            ActionChains(driver).send_keys("n").pause(0.2).send_keys("no axis labels").perform()
            time.sleep(1)
            driver.find_element(By.TAG_NAME, "body").click()  # the notes saved on leaving the field
            wait_for(lambda: saved(driver), "the notes saved")
            driver.switch_to.frame(driver.find_element(By.TAG_NAME, "iframe"))
            wait_for(lambda: len(driver.find_elements(By.TAG_NAME, "rect")) == 12, "the chart's 12 bars")
            driver.switch_to.default_content()
            driver.save_screenshot(path)
        finally:
            driver.quit()
            server.kill()
            server.wait()
        with open(os.path.join(folder, "grades", "ej-fox.csv")) as sheet:
            check(",4,3,ej-fox," in sheet.read(), "the screenshot's grades are in the sheet")
        with open(os.path.join(folder, "grades", "ej-fox.csv")) as sheet:
            check(sheet.read().rstrip("\n").endswith(",no axis labels"), "the screenshot's note is in the sheet")
    print("wrote", path)


main()
compare()
if SCREENSHOT:
    screenshot(SCREENSHOT)
if failures:
    print(f"{len(failures)} checks failed", file=sys.stderr)
    sys.exit(1)
print("label browser test: all checks passed")
