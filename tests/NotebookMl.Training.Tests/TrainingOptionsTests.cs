using NotebookMl.Core.Options;
using NotebookMl.Training.Tabular;

namespace NotebookMl.Training.Tests;

/// <summary>Options are checked as a whole before any data is read, and name the property at fault (not a CLI flag).</summary>
public sealed class TrainingOptionsTests
{
    [Theory]
    [InlineData("Trees", "Trees: expected at least 1, got 0.")]
    [InlineData("TestFraction", "TestFraction: expected a number between 0 and 1, got 1.")]
    [InlineData("TimeColumn", "TimeColumn: a time split needs the time column's name.")]
    [InlineData("Device", "Device: 'gpu' is not auto, cpu, cuda or cuda:N.")]
    [InlineData("Hidden", "Hidden: expected positive layer widths, got '64,0'.")]
    public void A_bad_option_is_named_by_its_property(string option, string message)
    {
        var options = option switch
        {
            "Trees" => new TrainingOptions { Label = "late", Tree = new TreeOptions { Trees = 0 } },
            "TestFraction" => new TrainingOptions { Label = "late", TestFraction = 1 },
            "TimeColumn" => new TrainingOptions { Label = "late", Split = SplitKind.Time },
            "Device" => new TrainingOptions { Label = "late", Model = ModelKind.Mlp, Mlp = new MlpOptions { Device = "gpu" } },
            _ => new TrainingOptions { Label = "late", Model = ModelKind.Mlp, Mlp = new MlpOptions { Hidden = [64, 0] } },
        };

        var error = Assert.Throws<InvalidOptionException>(() => options.Validate());

        Assert.Equal(option, error.Option);
        Assert.Equal(option, error.ParamName);
        Assert.Equal(message, error.Message);
        Assert.DoesNotContain("--", error.Message);
    }

    [Fact]
    public void The_defaults_are_valid_once_a_label_is_named()
    {
        Assert.Throws<InvalidOptionException>(() => TrainingOptions.Defaults.Validate());
        var options = TrainingOptions.Defaults with { Label = "late" };
        Assert.Same(options, options.Validate());
    }
}
