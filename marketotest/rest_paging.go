package marketotest

import (
	"encoding/base32"
	"net/url"
	"strconv"
	"strings"
)

// MaxBatchSize is the largest (and the default) batchSize of a REST page.
const MaxBatchSize = 300

// pageEncoding is base32 with "=" padding, as Marketo's tokens are.
var pageEncoding = base32.StdEncoding

// pageToken encodes where the next page of a listing starts. It is opaque
// to clients (base32, like Marketo's) and names its listing, so a token of
// one listing is refused by another.
func pageToken(listing string, offset int) string {
	return pageEncoding.EncodeToString([]byte(listing + ":" + strconv.Itoa(offset)))
}

// pageParams reads batchSize (1–300, default 300) and nextPageToken.
func pageParams(p url.Values, listing string) (size, offset int, f *Fault) {
	size = MaxBatchSize
	if v := p.Get("batchSize"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return 0, 0, faultf(restInvalidValue, "Invalid value '%s'. Required of type 'integer'", v)
		}
		if n < 1 || n > MaxBatchSize {
			return 0, 0, faultf(restInvalidData, "Invalid batchSize %d: it must be between 1 and %d", n, MaxBatchSize)
		}
		size = n
	}
	if v := p.Get("nextPageToken"); v != "" {
		raw, err := pageEncoding.DecodeString(v)
		name, num, ok := strings.Cut(string(raw), ":")
		n, aerr := strconv.Atoi(num)
		if err != nil || !ok || name != listing || aerr != nil || n < 0 {
			return 0, 0, faultf(restInvalidData, "Invalid nextPageToken")
		}
		offset = n
	}
	return size, offset, nil
}

// page answers one page of all; nextPageToken is set only when another
// page follows.
func page[T any](all []T, listing string, size, offset int) restAnswer {
	if offset > len(all) {
		offset = len(all)
	}
	end := min(offset+size, len(all))
	ans := restAnswer{result: append([]T{}, all[offset:end]...)}
	if end < len(all) {
		ans.nextPageToken = pageToken(listing, end)
	}
	return ans
}

// listParam reads a comma-separated list parameter: values trimmed, empty
// ones dropped; nil when absent.
func listParam(p url.Values, name string) []string {
	vs, ok := p[name]
	if !ok {
		return nil
	}
	out := []string{}
	for _, v := range vs {
		for part := range strings.SplitSeq(v, ",") {
			if part = strings.TrimSpace(part); part != "" {
				out = append(out, part)
			}
		}
	}
	return out
}

func parseInts(vs []string) ([]int, *Fault) {
	out := make([]int, 0, len(vs))
	for _, v := range vs {
		n, err := strconv.Atoi(v)
		if err != nil {
			return nil, faultf(restInvalidValue, "Invalid value '%s'. Required of type 'integer'", v)
		}
		out = append(out, n)
	}
	return out, nil
}
