"""Writes failing.onnx: probability = x reshaped to [-1, max(x) + 1].

For x = 0 (the server's warm-up row) that is [N, 1] and it answers; for any row with x >= 1 ONNX Runtime fails at run time
(the elements do not fill the shape), which is how the serving tests make a loaded model throw.
Run with Debian's python3-onnx: /usr/bin/python3 make_failing_model.py
"""
import onnx
from onnx import TensorProto, helper

x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [None, 1])
probability = helper.make_tensor_value_info("probability", TensorProto.FLOAT, [None, 1])
nodes = [
    helper.make_node("ReduceMax", ["x"], ["max"], keepdims=0),
    helper.make_node("Constant", [], ["one"], value=helper.make_tensor("one", TensorProto.FLOAT, [], [1.0])),
    helper.make_node("Add", ["max", "one"], ["width_f"]),
    helper.make_node("Cast", ["width_f"], ["width"], to=TensorProto.INT64),
    helper.make_node("Constant", [], ["axes"], value=helper.make_tensor("axes", TensorProto.INT64, [1], [0])),
    helper.make_node("Unsqueeze", ["width", "axes"], ["width_1"]),
    helper.make_node("Constant", [], ["rows"], value=helper.make_tensor("rows", TensorProto.INT64, [1], [-1])),
    helper.make_node("Concat", ["rows", "width_1"], ["shape"], axis=0),
    helper.make_node("Reshape", ["x", "shape"], ["probability"]),
]
graph = helper.make_graph(nodes, "failing", [x], [probability])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="notebookml-tests")
model.ir_version = 8
onnx.checker.check_model(model)
onnx.save(model, "failing.onnx")
