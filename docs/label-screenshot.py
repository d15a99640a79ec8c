#!/usr/bin/env python3
"""Takes docs/label.png, the README's picture of label's page: the vizhub
stockPriceChart challenge (its prompt and data.csv from examples/), an answer
whose index.html draws the bars with plain JavaScript (the vizhub answers load
d3 from a CDN, which an offline machine cannot reach), graded 4 and 3 with a
note. Needs what tests/label/browser.py needs (Debian chromium,
chromium-driver, python3-selenium).
Usage: docs/label-screenshot.py LABEL_BINARY [OUT.png]"""
import json
import os
import subprocess
import sys
import tempfile
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service as ChromeService
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

LABEL = os.path.abspath(sys.argv[1])
OUT = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else "docs/label.png")
HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLES = os.path.join(HERE, "..", "examples")

CHART = """<!DOCTYPE html><html><head><style>body{font:12px sans-serif;margin:8px}</style></head><body>
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


def main():
    prompt = next(json.loads(l) for l in open(os.path.join(EXAMPLES, "challenges.jsonl"))
                  if json.loads(l)["challenge"] == "stockPriceChart")
    answer = next(json.loads(l) for l in open(os.path.join(EXAMPLES, "responses.jsonl"))
                  if json.loads(l)["challenge"] == "stockPriceChart")
    with tempfile.TemporaryDirectory(prefix="prefline-label-shot-") as folder:
        with open(os.path.join(folder, "items.jsonl"), "w") as out:
            out.write(json.dumps({"challenge": "stockPriceChart", "model": "m", "files": {
                "index.html": CHART, "data.csv": answer["files"]["data.csv"]}}) + "\n")
        with open(os.path.join(folder, "prompts.jsonl"), "w") as out:
            out.write(json.dumps(prompt) + "\n")
        server = subprocess.Popen([LABEL, "--rate", "items.jsonl", "--prompts", "prompts.jsonl", "--grader", "ej-fox",
                                   "--out", "grades", "--port", "0", "-q"], cwd=folder, stdout=subprocess.PIPE, text=True)
        url = server.stdout.readline().split(" ", 1)[1].strip()
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000"]:
            options.add_argument(argument)
        driver = webdriver.Chrome(service=ChromeService(executable_path="/usr/bin/chromedriver"), options=options)
        try:
            driver.get(url)
            time.sleep(1)
            ActionChains(driver).send_keys("4").key_down(Keys.SHIFT).send_keys("3").key_up(Keys.SHIFT).perform()
            time.sleep(0.5)
            ActionChains(driver).send_keys("n").pause(0.2).send_keys("no axis labels").perform()
            time.sleep(1)
            driver.find_element(By.TAG_NAME, "body").click()  # the notes saved on leaving the field
            time.sleep(0.5)
            driver.save_screenshot(OUT)
        finally:
            driver.quit()
            server.kill()
    print("wrote", OUT)


main()
