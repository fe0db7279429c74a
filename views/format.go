package views

// The template functions that format numbers.

import (
	"strconv"
	"strings"
)

// Number formats n with thousands separators: 101222 → "101,222".
func Number(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// Stars draws a 1-5 rating as five stars, "★★★★☆" for 4. Templates put it
// beside the rating in words and hide it from screen readers.
func Stars(rating int) string {
	rating = max(0, min(rating, 5))
	return strings.Repeat("★", rating) + strings.Repeat("☆", 5-rating)
}

// Dollars formats whole dollars: 25000 → "$25,000".
func Dollars(n int64) string { return "$" + Number(n) }
