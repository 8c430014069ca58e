package data

import (
	"reflect"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
)

func TestIsOtherRecipients(t *testing.T) {
	for _, tt := range []struct {
		recipient, supplier string
		want                bool
	}{
		{OtherRecipients("China"), "China", true},
		{OtherRecipients("China"), "Chin", false},
		{OtherRecipients("Chin"), "China", false},
		{"(other recipients of China]", "China", false},
		{"(other recipient of China)", "China", false},
		{"Pakistan", "China", false},
		{OtherRecipients(""), "", true},
	} {
		if got := IsOtherRecipients(tt.recipient, tt.supplier); got != tt.want {
			t.Errorf("IsOtherRecipients(%q, %q) = %v; want %v", tt.recipient, tt.supplier, got, tt.want)
		}
	}
}

func TestDetailsLater(t *testing.T) {
	want := []FlowDetail{{Supplier: "A", Recipient: "B", Year: 2000, Category: "Ships", Status: "New", TIV: 2, EstimatedTIV: 1}}
	var reads atomic.Int32
	fs := FlowSet{Flows: []Flow{{Supplier: "A", Recipient: "B", Year: 2000, TIV: 2}}}
	if fs.HasDetails() {
		t.Fatal("a set without details has them")
	}
	fs.DetailsLater(func() []FlowDetail { reads.Add(1); return want })
	if !fs.HasDetails() || fs.Details != nil || reads.Load() != 0 {
		t.Fatalf("HasDetails %v, Details %v, %d reads; want details to read later, none read", fs.HasDetails(), fs.Details, reads.Load())
	}
	copied := fs
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if got := copied.AllDetails(); !slices.Equal(got, want) {
				t.Errorf("AllDetails = %v; want %v", got, want)
			}
		}()
	}
	wg.Wait()
	if got := fs.WithDetails(); !reflect.DeepEqual(got, FlowSet{Flows: fs.Flows, Details: want}) || reads.Load() != 1 {
		t.Errorf("WithDetails = %+v after %d reads; want the details read once, in Details", got, reads.Load())
	}
}
