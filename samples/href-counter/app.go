// href-counter fetches one web page and counts the links on it that stay on
// the same site (internal) and the ones that leave it (external).
//
// Usage: docker run --rm -e url=https://www.alexellis.io/ alexellis2/href-counter:latest
package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"golang.org/x/net/html"
)

type linkCount struct {
	Internal int `json:"internal"`
	External int `json:"external"`
}

func main() {
	target := os.Getenv("url")
	if target == "" {
		fmt.Fprintln(os.Stderr, "href-counter: set the url environment variable, e.g. -e url=https://www.alexellis.io/")
		os.Exit(2)
	}

	base, err := url.Parse(target)
	if err != nil || base.Host == "" {
		fmt.Fprintf(os.Stderr, "href-counter: %q is not an absolute URL\n", target)
		os.Exit(2)
	}

	client := &http.Client{Timeout: 15 * time.Second}
	res, err := client.Get(target)
	if err != nil {
		fmt.Fprintln(os.Stderr, "href-counter:", err)
		os.Exit(1)
	}
	defer res.Body.Close()

	if res.StatusCode != http.StatusOK {
		fmt.Fprintf(os.Stderr, "href-counter: GET %s: %s\n", target, res.Status)
		os.Exit(1)
	}

	doc, err := html.Parse(res.Body)
	if err != nil {
		fmt.Fprintln(os.Stderr, "href-counter: parsing HTML:", err)
		os.Exit(1)
	}

	var count linkCount
	walk(doc, base, &count)

	out, _ := json.Marshal(count)
	fmt.Println(string(out))
}

// walk visits every element of the tree and classifies each <a href>.
func walk(n *html.Node, base *url.URL, count *linkCount) {
	if n.Type == html.ElementNode && n.Data == "a" {
		for _, attr := range n.Attr {
			if attr.Key != "href" {
				continue
			}
			href := strings.TrimSpace(attr.Val)
			if href == "" || strings.HasPrefix(href, "#") || strings.HasPrefix(href, "mailto:") {
				break
			}
			link, err := base.Parse(href)
			if err != nil {
				break
			}
			if link.Host == base.Host {
				count.Internal++
			} else {
				count.External++
			}
			break
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, base, count)
	}
}
