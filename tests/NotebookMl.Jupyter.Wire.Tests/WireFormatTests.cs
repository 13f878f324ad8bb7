using System.Text;
using System.Text.Json.Nodes;
using NotebookMl.Jupyter;
using NotebookMl.Jupyter.Wire;

namespace NotebookMl.Jupyter.Wire.Tests;

public sealed class WireFormatTests
{
    private static readonly MessageFactory s_messages = new(TimeProvider.System);

    [Fact]
    public void A_message_survives_encoding_and_decoding_with_its_identities()
    {
        var wire = new WireFormat(new MessageSigner("secret"));
        var message = s_messages.Create("execute_request", new JsonObject { ["code"] = "1 + 1" }, null, [Encoding.ASCII.GetBytes("client")]);

        Assert.True(wire.TryDecode(wire.Encode(message), out var decoded, out var problem), problem);

        Assert.Equal("execute_request", decoded.MessageType);
        Assert.Equal("1 + 1", decoded.Content["code"]!.GetValue<string>());
        Assert.Equal("client", Encoding.ASCII.GetString(decoded.Identities.Single()));
    }

    [Fact]
    public void A_message_signed_with_another_key_is_rejected()
    {
        var forged = new WireFormat(new MessageSigner("wrong")).Encode(s_messages.Create("execute_request", [], null));

        var accepted = new WireFormat(new MessageSigner("secret")).TryDecode(forged, out _, out var problem);

        Assert.False(accepted);
        Assert.Equal("invalid signature", problem);
    }

    [Fact]
    public void The_signature_is_the_hmac_sha256_of_the_four_json_frames()
    {
        // The reference value comes from Python's hmac module, as jupyter_client computes it.
        var frames = Enumerable.Repeat("{}"u8.ToArray(), 4).ToArray();

        Assert.Equal(PythonHmac("key", "{}{}{}{}"), new MessageSigner("key").Sign(frames));
    }

    [Fact]
    public void Without_a_key_messages_are_unsigned_and_accepted()
    {
        var wire = new WireFormat(new MessageSigner(""));
        var frames = wire.Encode(s_messages.Create("kernel_info_request", [], null));

        Assert.Equal("", Encoding.ASCII.GetString(frames[1]));
        Assert.True(wire.TryDecode(frames, out _, out _));
    }

    [Fact]
    public void A_message_without_the_delimiter_is_rejected_as_malformed()
    {
        var wire = new WireFormat(new MessageSigner("secret"));

        Assert.False(wire.TryDecode([[1, 2, 3]], out _, out var problem));
        Assert.Contains("malformed", problem);
    }

    private static string PythonHmac(string key, string data)
    {
        var result = Testing.ProcessRunner.RunAsync(
            Testing.RepoPaths.SystemPython,
            ["-c", $"import hmac, hashlib; print(hmac.new({Literal(key)}, {Literal(data)}, hashlib.sha256).hexdigest())"],
            TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
        return result.StandardOutput.Trim();
    }

    private static string Literal(string text) => "b'" + text + "'";
}
