package marketo

// csvRecordCases are rows whose CSV records quote, double quotes, keep
// line breaks or need XML escapes (internal/csvrec tests each against
// encoding/csv).
var csvRecordCases = [][]string{
	{""}, {"", ""}, {"a"}, {"a", "b", "c"}, {"a,b"}, {`say "hi"`}, {`"`}, {`""`}, {"line\nfeed"}, {"cr\rhere"},
	{" leading"}, {"\tleading tab"}, {"\u00a0nbsp"}, {"\u2003em space"}, {`\.`}, {`\.x`}, {"trailing "},
	{"ünïcödé", "日本"}, {"a", "", "c"}, {"x\"y\"z", "1,2", "\n"}, {"{{my.token}}", "value"},
}
