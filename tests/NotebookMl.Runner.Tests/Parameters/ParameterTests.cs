using System.Text.Json.Nodes;
using NotebookMl.Notebooks;
using NotebookMl.Runner.Parameters;

namespace NotebookMl.Runner.Tests.Parameters;

public sealed class ParameterTests
{
    [Fact]
    public void A_csharp_parameters_cell_declares_names_types_and_defaults()
    {
        var parameters = ParameterCellReader.Read("int epochs = 10;\nvar rate = 0.5;\nstring name = \"a\";\nDateTime day = DateTime.Today;\nint[] sizes = { 1, 2 };", ParameterLanguage.CSharp);

        Assert.Equal(
            [("epochs", ParameterType.Int, "10"), ("rate", ParameterType.Double, "0.5"), ("name", ParameterType.String, "\"a\""), ("day", ParameterType.DateTime, "DateTime.Today"), ("sizes", ParameterType.IntArray, "{ 1, 2 }")],
            parameters.Select(p => (p.Name, p.Type, p.Default)));
    }

    [Fact]
    public void A_python_parameters_cell_is_read_as_papermill_reads_it()
    {
        var parameters = ParameterCellReader.Read("alpha = 0.1  # learning rate\nepochs: int = 3\nname = 'x'\nverbose = False", ParameterLanguage.Python);

        Assert.Equal(
            [("alpha", ParameterType.Double), ("epochs", ParameterType.Int), ("name", ParameterType.String), ("verbose", ParameterType.Bool)],
            parameters.Select(p => (p.Name, p.Type)));
    }

    [Fact]
    public void Values_are_written_as_typed_csharp_assignments()
    {
        var source = ParameterWriter.Write(ParameterLanguage.CSharp,
        [
            ("epochs", ParameterType.Int, 20), ("big", ParameterType.Long, 5L), ("rate", ParameterType.Double, 0.25),
            ("on", ParameterType.Bool, true), ("name", ParameterType.String, "say \"hi\"\n"),
            ("day", ParameterType.DateTime, new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc)), ("sizes", ParameterType.IntArray, new[] { 1, 2 }),
        ]);

        Assert.Equal(
            "// Parameters injected by notebookml run\nint epochs = 20;\nlong big = 5L;\ndouble rate = 0.25;\nbool on = true;\nstring name = \"say \\\"hi\\\"\\n\";\n"
            + "DateTime day = DateTime.Parse(\"2026-01-02T03:04:05.0000000Z\", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind);\nint[] sizes = new int[] { 1, 2 };",
            source);
    }

    [Fact]
    public void Values_are_written_as_python_assignments()
    {
        var source = ParameterWriter.Write(ParameterLanguage.Python,
            [("alpha", ParameterType.Double, 1.0), ("on", ParameterType.Bool, false), ("name", ParameterType.String, "it's"), ("xs", ParameterType.StringArray, new[] { "a", "b" })]);

        Assert.Equal("# Parameters\nalpha = 1.0\non = False\nname = \"it's\"\nxs = [\"a\", \"b\"]", source);
    }

    [Theory]
    [InlineData("epochs", "ten", ParameterType.Int, "parameter 'epochs': 'ten' is not an int.")]
    [InlineData("on", "yes", ParameterType.Bool, "parameter 'on': 'yes' is not true or false.")]
    [InlineData("day", "someday", ParameterType.DateTime, "parameter 'day': 'someday' is not a date/time (ISO 8601, e.g. 2026-11-23 or 2026-11-23T06:00:00Z).")]
    public void A_value_of_the_wrong_type_is_refused_naming_the_parameter(string name, string text, ParameterType type, string message)
    {
        var error = Assert.Throws<ParameterException>(() => ParameterValues.Parse(name, text, type));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void An_undeclared_parameter_is_refused_listing_the_declared_ones()
    {
        NotebookParameter[] declared = [new("epochs", ParameterType.Int, "10")];

        var error = Assert.Throws<ParameterException>(() => ParameterInjector.Resolve(declared, null, [KeyValuePair.Create("epoch", "3")], allowExtra: false));

        Assert.Equal("the notebook declares no parameter 'epoch'; its parameters are: epochs (int).", error.Message);
    }

    [Fact]
    public void Command_line_values_override_file_values_and_are_typed_by_the_declarations()
    {
        NotebookParameter[] declared = [new("epochs", ParameterType.Int, "10"), new("rate", ParameterType.Double, "0.1")];
        var file = new JsonObject { ["epochs"] = 5, ["rate"] = 0.3 };

        var values = ParameterInjector.Resolve(declared, file, [KeyValuePair.Create("epochs", "7")], allowExtra: false);

        Assert.Equal([("epochs", ParameterType.Int, (object)7), ("rate", ParameterType.Double, 0.3)], values);
    }

    [Fact]
    public void The_injected_cell_follows_the_parameters_cell_replaces_an_earlier_one_and_is_recorded()
    {
        var notebook = NotebookDocument.Create(
        [
            NotebookCell.Markdown("# title"),
            NotebookCell.Code("int epochs = 10;").WithTags(["parameters"]),
            NotebookCell.Code("// stale\nint epochs = 1;").WithTags(["injected-parameters"]),
            NotebookCell.Code("epochs * 2"),
        ]);

        var injected = ParameterInjector.Inject(notebook, ParameterLanguage.CSharp, [("epochs", ParameterType.Int, 3)]);

        Assert.Equal(4, injected.Cells.Count);
        Assert.Equal(["injected-parameters"], injected.Cells[2].Tags);
        Assert.Equal("// Parameters injected by notebookml run\nint epochs = 3;", injected.Cells[2].Source);
        Assert.Equal(3, injected.Metadata["papermill"]!["parameters"]!["epochs"]!.GetValue<int>());
        Assert.Equal(3, injected.Metadata["notebookml"]!["parameters"]!["epochs"]!.GetValue<int>());
    }

    [Fact]
    public void Yaml_and_json_parameter_files_give_the_same_values()
    {
        var folder = Directory.CreateTempSubdirectory("notebookml-params-").FullName;
        File.WriteAllText(Path.Combine(folder, "p.yaml"), "epochs: 4\nname: run-7\nsizes: [1, 2]\n");
        File.WriteAllText(Path.Combine(folder, "p.json"), """{"epochs": 4, "name": "run-7", "sizes": [1, 2]}""");
        NotebookParameter[] declared = [new("epochs", ParameterType.Int, "1"), new("name", ParameterType.String, "\"\""), new("sizes", ParameterType.IntArray, "{}")];

        var fromYaml = ParameterInjector.Resolve(declared, ParameterFile.Read(Path.Combine(folder, "p.yaml")), [], false);
        var fromJson = ParameterInjector.Resolve(declared, ParameterFile.Read(Path.Combine(folder, "p.json")), [], false);

        Assert.Equal(4, fromYaml[0].Value);
        Assert.Equal("run-7", fromYaml[1].Value);
        Assert.Equal(new[] { 1, 2 }, (int[])fromYaml[2].Value);
        Assert.Equal(fromYaml.Select(v => v.Name), fromJson.Select(v => v.Name));
        Assert.Equal(new[] { 1, 2 }, (int[])fromJson[2].Value);
        Directory.Delete(folder, true);
    }

    [Fact]
    public void A_malformed_parameters_file_is_named_with_its_line()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("notebookml-params-").FullName, "bad.json");
        File.WriteAllText(path, "{\n  \"epochs\": ,\n}");

        var error = Assert.Throws<ParameterException>(() => ParameterFile.Read(path));

        Assert.StartsWith($"{path}: invalid JSON at line 2", error.Message);
    }
}
