"""Reads what `notebookml schedule export` wrote, as Airflow and Kubernetes/GitHub would: the DAGs parse as Python (ast) and
their DAG(...) and BashOperator(...) arguments are read; the YAML parses (PyYAML). Prints one JSON object: path -> content."""
import ast
import json
import os
import sys

import yaml

folder = sys.argv[1]
out = {}
for root in ["airflow", "kubernetes", "github-actions"]:
    for name in sorted(os.listdir(os.path.join(folder, root))):
        path = os.path.join(folder, root, name)
        key = f"{root}/{name}"
        text = open(path).read()
        if name.endswith(".py"):
            tree = ast.parse(text)
            calls = {n.func.id: n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
            dag = {k.arg: k.value for k in calls["DAG"].keywords}
            task = {k.arg: k.value for k in calls["BashOperator"].keywords}
            start = {k.arg: k.value for k in dag["start_date"].keywords}
            timeout = task["execution_timeout"]
            out[key] = {
                "dag_id": ast.literal_eval(dag["dag_id"]),
                "schedule": ast.literal_eval(dag["schedule"]),
                "tz": ast.literal_eval(start["tz"]),
                "bash_command": ast.literal_eval(task["bash_command"]),
                "retries": ast.literal_eval(task["retries"]),
                "execution_timeout": None if isinstance(timeout, ast.Constant) else ast.literal_eval(timeout.keywords[0].value),
            }
        else:
            document = yaml.safe_load(text)
            if True in document:  # YAML 1.1 reads GitHub's `on:` key as true
                document["on"] = document.pop(True)
            out[key] = document
print(json.dumps(out))
