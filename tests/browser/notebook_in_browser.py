#!/usr/bin/env python3
"""Drives a real browser over a real notebook, for the browser tests (tests/NotebookMl.Jupyter.Tests/Browser).

  notebook_in_browser.py notebook NOTEBOOK.ipynb OUT_FOLDER
      starts Jupyter Notebook (classic, jupyter-notebook) on a free loopback port over NOTEBOOK's
      folder, opens it in headless Chromium, runs all cells, waits for the kernel to finish, then
      saves the notebook and reports what a person would see.
  notebook_in_browser.py page FILE.html OUT_FOLDER
      opens a static page (nbconvert's HTML) from disk, with the network cut off.

Writes OUT_FOLDER/report.json and OUT_FOLDER/screenshot.png. The report holds, per code cell, its
prompt number and output text/HTML snippets; per chart (div.notebookml-chart or .js-plotly-plot),
whether plotly drew an SVG and how many traces (after opening every collapsed <details>, as a click would); the browser console's errors; and probes of styles.
The kernels Jupyter finds come from the environment (JUPYTER_PATH).
"""
import json, os, socket, subprocess, sys, time, urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

REPORT_JS = r"""
const charts = Array.from(document.querySelectorAll('div.notebookml-chart, div.js-plotly-plot')).filter((d, i, all) => !all.some(o => o !== d && o.contains(d)));
const cells = (window.Jupyter && Jupyter.notebook) ? Jupyter.notebook.get_cells().map(c => ({
  type: c.cell_type,
  source: c.get_text(),
  prompt: c.cell_type === 'code' ? (c.input_prompt_number === undefined ? null : c.input_prompt_number) : null,
  text: c.element[0].querySelector('.output_area') ? Array.from(c.element[0].querySelectorAll('.output_subarea')).map(o => o.innerText).join('\n') : '',
  html: Array.from(c.element[0].querySelectorAll('.output_subarea')).map(o => o.innerHTML.slice(0, 4000)).join('\n'),
})) : [];
const tds = Array.from(document.querySelectorAll('table.notebookml-table td, table.notebookml-dataframe td')).slice(0, 400);
return {
  charts: charts.map(d => ({
    id: d.id,
    svg: d.querySelectorAll('svg.main-svg').length,
    traces: d.querySelectorAll('g.trace, g.parcoords, .parcoords-line-layers').length,
    paths: d.querySelectorAll('path').length,
    width: d.getBoundingClientRect().width,
    height: d.getBoundingClientRect().height,
  })),
  plotlyDefined: typeof window.Plotly !== 'undefined',
  plotlyScripts: document.querySelectorAll('script[data-notebookml^="plotly.js"]').length,
  chartOutputs: Array.from(document.querySelectorAll('.output_subarea, .jp-OutputArea-output')).filter(o => o.querySelector('div.notebookml-chart')).length,
  chartOutputsWithoutPlotly: Array.from(document.querySelectorAll('.output_subarea, .jp-OutputArea-output')).filter(o => o.querySelector('div.notebookml-chart') && !o.querySelector('script[data-notebookml^="plotly.js"]')).length,
  driftColumns: document.querySelectorAll('details.notebookml-drift-column').length,
  cells: cells,
  cellTextAlign: tds.map(td => ({ text: td.innerText.slice(0, 40), align: getComputedStyle(td).textAlign })),
  probes: Array.from(document.querySelectorAll('[id$="-probe"]')).map(e => ({ id: e.id, tag: e.tagName.toLowerCase(), text: e.innerText })),
  headings: Array.from(document.querySelectorAll('.output_subarea h1, .output_markdown h1')).map(h => h.innerText),
  images: Array.from(document.querySelectorAll('.output_subarea img, img')).map(i => ({ src: i.src.slice(0, 40), width: i.naturalWidth })),
};
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def browser(out):
    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,2400", "--no-proxy-server", "--user-data-dir=" + os.path.join(out, "chromium-profile")]:
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def wait(condition, seconds, what):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if condition():
                return
        except Exception:  # the page may be between states
            pass
        time.sleep(0.25)
    raise TimeoutError(f"gave up after {seconds} s waiting for {what}")


def console_errors(driver):
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def run_notebook(path, out):
    folder, name = os.path.split(os.path.abspath(path))
    port = free_port()
    log = open(os.path.join(out, "jupyter.log"), "w")
    server = subprocess.Popen(
        ["/usr/bin/python3", "-m", "notebook", "--no-browser", "--allow-root", "--ip=127.0.0.1", f"--port={port}", "--port-retries=0",
         "--NotebookApp.token=", "--NotebookApp.password=", f"--notebook-dir={folder}", "--NotebookApp.disable_check_xsrf=True"],
        stdout=log, stderr=subprocess.STDOUT, env=os.environ.copy())
    driver = None
    try:
        wait(lambda: urllib.request.urlopen(f"http://127.0.0.1:{port}/api", timeout=2).status == 200, 60, "Jupyter Notebook to listen")
        driver = browser(out)
        driver.get(f"http://127.0.0.1:{port}/notebooks/{name}")
        wait(lambda: driver.execute_script("return !!(window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected())"), 120, "the kernel to connect")
        started = time.time()
        driver.execute_script("Jupyter.notebook.clear_all_output(); Jupyter.notebook.execute_all_cells();")
        # Done when no code cell shows '*' and the kernel is idle twice in a row.
        busy = "return Jupyter.notebook.get_cells().some(c => c.cell_type === 'code' && c.input_prompt_number === '*') || Jupyter.notebook.kernel_busy === true"
        wait(lambda: not driver.execute_script(busy) and (time.sleep(1) or not driver.execute_script(busy)), float(os.environ.get("BROWSER_TEST_TIMEOUT", "300")), "all cells to run")
        wait_for_plotly(driver)
        open_details(driver)
        report = driver.execute_script(REPORT_JS)
        report["seconds"] = time.time() - started
        report["console_errors"] = console_errors(driver)
        driver.save_screenshot(os.path.join(out, "screenshot.png"))
        driver.execute_script("Jupyter.notebook.save_notebook();")
        time.sleep(2)
        return report
    finally:
        if driver is not None:
            driver.quit()
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()


def wait_for_plotly(driver):
    """plotly.js unpacks asynchronously: waits until it is defined (when a chart needs it), then for the charts to draw."""
    wait(lambda: driver.execute_script("return !document.querySelector('div.notebookml-chart') || typeof window.Plotly !== 'undefined'"), 60, "plotly.js to unpack")
    time.sleep(1.5)


def open_details(driver):
    """Opens every collapsed section as a person clicking it would: charts inside one (a drift report's) draw only then."""
    closed = driver.execute_script("var closed = Array.from(document.querySelectorAll('details:not([open])')); closed.forEach(d => { d.open = true; }); return closed.length;")
    if closed:
        time.sleep(1.5)


def open_page(path, out):
    driver = browser(out)
    try:
        driver.set_network_conditions(offline=True, latency=0, download_throughput=0, upload_throughput=0)
        driver.get("file://" + os.path.abspath(path))
        wait(lambda: driver.execute_script("return document.readyState") == "complete", 60, "the page to load")
        wait_for_plotly(driver)
        open_details(driver)
        report = driver.execute_script(REPORT_JS)
        report["console_errors"] = console_errors(driver)
        driver.save_screenshot(os.path.join(out, "screenshot.png"))
        return report
    finally:
        driver.quit()


def main():
    mode, path, out = sys.argv[1:4]
    os.makedirs(out, exist_ok=True)
    report = run_notebook(path, out) if mode == "notebook" else open_page(path, out)
    with open(os.path.join(out, "report.json"), "w") as f:
        json.dump(report, f, indent=1)
    print(json.dumps({"charts": report["charts"], "console_errors": report["console_errors"]}))


if __name__ == "__main__":
    main()
