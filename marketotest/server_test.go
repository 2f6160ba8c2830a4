package marketotest

import (
	"net"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mktows/marketo"
)

// TestDialAddr checks that a listener on every interface is given as a
// loopback address the SDK accepts over plain http, and others as they are.
func TestDialAddr(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		addr net.Addr
		want string
	}{
		{&net.TCPAddr{IP: net.IPv4zero, Port: 8080}, "127.0.0.1:8080"},
		{&net.TCPAddr{IP: net.IPv6unspecified, Port: 8080}, "127.0.0.1:8080"},
		{&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8080}, "127.0.0.1:8080"},
		{&net.TCPAddr{IP: net.IPv6loopback, Port: 8080}, "[::1]:8080"},
	} {
		assert.Equal(t, tc.want, dialAddr(tc.addr), tc.addr.String())
		_, err := marketo.NewClient(marketo.Config{Endpoint: "http://" + dialAddr(tc.addr) + EndpointPath, UserID: "u", EncryptionKey: "k"})
		assert.NoError(t, err, "the SDK accepts %s", dialAddr(tc.addr))
	}
}
