package data

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// GDELTColumns names the 61 tab-separated columns of a GDELT 2.0 Event
// export, in order (GDELT 2.0 Event Database codebook). The files have no
// header line; these names label errors.
var GDELTColumns = []string{
	"GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
	"Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1KnownGroupCode", "Actor1EthnicCode",
	"Actor1Religion1Code", "Actor1Religion2Code", "Actor1Type1Code", "Actor1Type2Code", "Actor1Type3Code",
	"Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode", "Actor2EthnicCode",
	"Actor2Religion1Code", "Actor2Religion2Code", "Actor2Type1Code", "Actor2Type2Code", "Actor2Type3Code",
	"IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
	"NumMentions", "NumSources", "NumArticles", "AvgTone",
	"Actor1Geo_Type", "Actor1Geo_FullName", "Actor1Geo_CountryCode", "Actor1Geo_ADM1Code", "Actor1Geo_ADM2Code",
	"Actor1Geo_Lat", "Actor1Geo_Long", "Actor1Geo_FeatureID",
	"Actor2Geo_Type", "Actor2Geo_FullName", "Actor2Geo_CountryCode", "Actor2Geo_ADM1Code", "Actor2Geo_ADM2Code",
	"Actor2Geo_Lat", "Actor2Geo_Long", "Actor2Geo_FeatureID",
	"ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code", "ActionGeo_ADM2Code",
	"ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID",
	"DATEADDED", "SOURCEURL",
}

// GDELTV1Columns names the columns of a GDELT 1.0 Event file: the first 35
// as in GDELTColumns, then three geo blocks of 7 fields (no *_ADM2Code),
// DATEADDED (YYYYMMDD) and SOURCEURL. Daily files (from April 2013) have
// all 58; the historical back-files (1979 to March 2013) lack SOURCEURL
// and have 57.
var GDELTV1Columns = func() []string {
	var cols []string
	for _, c := range GDELTColumns {
		if !strings.HasSuffix(c, "_ADM2Code") {
			cols = append(cols, c)
		}
	}
	return cols
}()

// Indexes of the columns ReadGDELT uses, 0-based, in a GDELT 2.0 row;
// gdeltLayout gives the ones that differ in GDELT 1.0.
const (
	gdeltID          = 0
	gdeltSQLDate     = 1
	gdeltActor1Name  = 6
	gdeltActor1CC    = 7
	gdeltActor2Name  = 16
	gdeltActor2CC    = 17
	gdeltIsRoot      = 25
	gdeltEventCode   = 26
	gdeltNumSources  = 32
	gdeltNumArticles = 33
	gdeltGeoFullName = 52 // ActionGeo_FullName
	gdeltDateAdded   = 59
	gdeltSourceURL   = 60
)

// gdeltLayout says where the version-dependent columns are.
type gdeltLayout struct {
	version            string // "2.0" or "1.0"
	cols               []string
	fields             []int // accepted field counts
	place, added, url  int
	addedLayout        string
	addedLayoutDisplay string
	updateLayout       string // how Updates holds DATEADDED
}

var (
	gdeltV2 = gdeltLayout{"2.0", GDELTColumns, []int{61}, gdeltGeoFullName, gdeltDateAdded, gdeltSourceURL, "20060102150405", "YYYYMMDDHHMMSS", updateTimeLayout}
	gdeltV1 = gdeltLayout{"1.0", GDELTV1Columns, []int{57, 58}, 50, 56, 57, "20060102", "YYYYMMDD", updateDayLayout}
)

// DefaultGDELTCodes are the CAMEO event codes ReadGDELT keeps when
// Options.GDELTRoots is nil: the ones that record military diplomacy
// between two states. Each is matched as a prefix of EventCode.
var DefaultGDELTCodes = []string{
	"0312", // Express intent to cooperate militarily
	"0332", // Express intent to provide military aid
	"0334", // Express intent to provide military protection or peacekeeping
	"042",  // Make a visit
	"043",  // Host a visit
	"057",  // Sign formal agreement
	"062",  // Cooperate militarily
	"072",  // Provide military aid
	"074",  // Provide military protection or peacekeeping
}

// GDELTEventType returns the Event.Type for a CAMEO event code: "visit"
// for 042 and 043, "agreement" for 057, "cooperation" for the cooperative
// roots 03 (intent to cooperate), 05 (diplomatic cooperation), 06
// (material cooperation) and 07 (aid), and "other" for anything else.
func GDELTEventType(code string) string {
	switch {
	case strings.HasPrefix(code, "042"), strings.HasPrefix(code, "043"):
		return "visit"
	case strings.HasPrefix(code, "057"):
		return "agreement"
	}
	switch {
	case len(code) < 2:
		return "other"
	case code[:2] == "03", code[:2] == "05", code[:2] == "06", code[:2] == "07":
		return "cooperation"
	}
	return "other"
}

// CAMEODescription returns the CAMEO codebook's description of an event
// code, e.g. "Make a visit" for "042", or "" for an unknown code.
func CAMEODescription(code string) string { return cameoEventCodes[code] }

// cameoEventCodes holds the 311 CAMEO event codes with their descriptions,
// taken from GDELT's CAMEO.eventcodes.txt (310 lines) with its flaws
// mended: code 106, glued onto the line of 1056, has its own entry; the
// mojibake of 044 reads "third"; the typos "matyerial" (033) and
// "radiologicalweapons" (2041) are corrected; trailing spaces are trimmed;
// the upper-case root descriptions are in sentence case.
var cameoEventCodes = map[string]string{
	"01":   "Make public statement",
	"010":  "Make statement, not specified below",
	"011":  "Decline comment",
	"012":  "Make pessimistic comment",
	"013":  "Make optimistic comment",
	"014":  "Consider policy option",
	"015":  "Acknowledge or claim responsibility",
	"016":  "Deny responsibility",
	"017":  "Engage in symbolic act",
	"018":  "Make empathetic comment",
	"019":  "Express accord",
	"02":   "Appeal",
	"020":  "Appeal, not specified below",
	"021":  "Appeal for material cooperation, not specified below",
	"0211": "Appeal for economic cooperation",
	"0212": "Appeal for military cooperation",
	"0213": "Appeal for judicial cooperation",
	"0214": "Appeal for intelligence",
	"022":  "Appeal for diplomatic cooperation, such as policy support",
	"023":  "Appeal for aid, not specified below",
	"0231": "Appeal for economic aid",
	"0232": "Appeal for military aid",
	"0233": "Appeal for humanitarian aid",
	"0234": "Appeal for military protection or peacekeeping",
	"024":  "Appeal for political reform, not specified below",
	"0241": "Appeal for change in leadership",
	"0242": "Appeal for policy change",
	"0243": "Appeal for rights",
	"0244": "Appeal for change in institutions, regime",
	"025":  "Appeal to yield",
	"0251": "Appeal for easing of administrative sanctions",
	"0252": "Appeal for easing of popular dissent",
	"0253": "Appeal for release of persons or property",
	"0254": "Appeal for easing of economic sanctions, boycott, or embargo",
	"0255": "Appeal for target to allow international involvement (non-mediation)",
	"0256": "Appeal for de-escalation of military engagement",
	"026":  "Appeal to others to meet or negotiate",
	"027":  "Appeal to others to settle dispute",
	"028":  "Appeal to others to engage in or accept mediation",
	"03":   "Express intent to cooperate",
	"030":  "Express intent to cooperate, not specified below",
	"031":  "Express intent to engage in material cooperation, not specified below",
	"0311": "Express intent to cooperate economically",
	"0312": "Express intent to cooperate militarily",
	"0313": "Express intent to cooperate on judicial matters",
	"0314": "Express intent to cooperate on intelligence",
	"032":  "Express intent to provide diplomatic cooperation such as policy support",
	"033":  "Express intent to provide material aid, not specified below",
	"0331": "Express intent to provide economic aid",
	"0332": "Express intent to provide military aid",
	"0333": "Express intent to provide humanitarian aid",
	"0334": "Express intent to provide military protection or peacekeeping",
	"034":  "Express intent to institute political reform, not specified below",
	"0341": "Express intent to change leadership",
	"0342": "Express intent to change policy",
	"0343": "Express intent to provide rights",
	"0344": "Express intent to change institutions, regime",
	"035":  "Express intent to yield, not specified below",
	"0351": "Express intent to ease administrative sanctions",
	"0352": "Express intent to ease popular dissent",
	"0353": "Express intent to release persons or property",
	"0354": "Express intent to ease economic sanctions, boycott, or embargo",
	"0355": "Express intent allow international involvement (not mediation)",
	"0356": "Express intent to de-escalate military engagement",
	"036":  "Express intent to meet or negotiate",
	"037":  "Express intent to settle dispute",
	"038":  "Express intent to accept mediation",
	"039":  "Express intent to mediate",
	"04":   "Consult",
	"040":  "Consult, not specified below",
	"041":  "Discuss by telephone",
	"042":  "Make a visit",
	"043":  "Host a visit",
	"044":  "Meet at a third location",
	"045":  "Mediate",
	"046":  "Engage in negotiation",
	"05":   "Engage in diplomatic cooperation",
	"050":  "Engage in diplomatic cooperation, not specified below",
	"051":  "Praise or endorse",
	"052":  "Defend verbally",
	"053":  "Rally support on behalf of",
	"054":  "Grant diplomatic recognition",
	"055":  "Apologize",
	"056":  "Forgive",
	"057":  "Sign formal agreement",
	"06":   "Engage in material cooperation",
	"060":  "Engage in material cooperation, not specified below",
	"061":  "Cooperate economically",
	"062":  "Cooperate militarily",
	"063":  "Engage in judicial cooperation",
	"064":  "Share intelligence or information",
	"07":   "Provide aid",
	"070":  "Provide aid, not specified below",
	"071":  "Provide economic aid",
	"072":  "Provide military aid",
	"073":  "Provide humanitarian aid",
	"074":  "Provide military protection or peacekeeping",
	"075":  "Grant asylum",
	"08":   "Yield",
	"080":  "Yield, not specified below",
	"081":  "Ease administrative sanctions, not specified below",
	"0811": "Ease restrictions on political freedoms",
	"0812": "Ease ban on political parties or politicians",
	"0813": "Ease curfew",
	"0814": "Ease state of emergency or martial law",
	"082":  "Ease political dissent",
	"083":  "Accede to requests or demands for political reform not specified below",
	"0831": "Accede to demands for change in leadership",
	"0832": "Accede to demands for change in policy",
	"0833": "Accede to demands for rights",
	"0834": "Accede to demands for change in institutions, regime",
	"084":  "Return, release, not specified below",
	"0841": "Return, release person(s)",
	"0842": "Return, release property",
	"085":  "Ease economic sanctions, boycott, embargo",
	"086":  "Allow international involvement not specified below",
	"0861": "Receive deployment of peacekeepers",
	"0862": "Receive inspectors",
	"0863": "Allow delivery of humanitarian aid",
	"087":  "De-escalate military engagement",
	"0871": "Declare truce, ceasefire",
	"0872": "Ease military blockade",
	"0873": "Demobilize armed forces",
	"0874": "Retreat or surrender militarily",
	"09":   "Investigate",
	"090":  "Investigate, not specified below",
	"091":  "Investigate crime, corruption",
	"092":  "Investigate human rights abuses",
	"093":  "Investigate military action",
	"094":  "Investigate war crimes",
	"10":   "Demand",
	"100":  "Demand, not specified below",
	"101":  "Demand information, investigation",
	"1011": "Demand economic cooperation",
	"1012": "Demand military cooperation",
	"1013": "Demand judicial cooperation",
	"1014": "Demand intelligence cooperation",
	"102":  "Demand policy support",
	"103":  "Demand aid, protection, or peacekeeping",
	"1031": "Demand economic aid",
	"1032": "Demand military aid",
	"1033": "Demand humanitarian aid",
	"1034": "Demand military protection or peacekeeping",
	"104":  "Demand political reform, not specified below",
	"1041": "Demand change in leadership",
	"1042": "Demand policy change",
	"1043": "Demand rights",
	"1044": "Demand change in institutions, regime",
	"105":  "Demand mediation",
	"1051": "Demand easing of administrative sanctions",
	"1052": "Demand easing of political dissent",
	"1053": "Demand release of persons or property",
	"1054": "Demand easing of economic sanctions, boycott, or embargo",
	"1055": "Demand that target allows international involvement (non-mediation)",
	"1056": "Demand de-escalation of military engagement",
	"106":  "Demand withdrawal",
	"107":  "Demand ceasefire",
	"108":  "Demand meeting, negotiation",
	"11":   "Disapprove",
	"110":  "Disapprove, not specified below",
	"111":  "Criticize or denounce",
	"112":  "Accuse, not specified below",
	"1121": "Accuse of crime, corruption",
	"1122": "Accuse of human rights abuses",
	"1123": "Accuse of aggression",
	"1124": "Accuse of war crimes",
	"1125": "Accuse of espionage, treason",
	"113":  "Rally opposition against",
	"114":  "Complain officially",
	"115":  "Bring lawsuit against",
	"116":  "Find guilty or liable (legally)",
	"12":   "Reject",
	"120":  "Reject, not specified below",
	"121":  "Reject material cooperation",
	"1211": "Reject economic cooperation",
	"1212": "Reject military cooperation",
	"122":  "Reject request or demand for material aid, not specified below",
	"1221": "Reject request for economic aid",
	"1222": "Reject request for military aid",
	"1223": "Reject request for humanitarian aid",
	"1224": "Reject request for military protection or peacekeeping",
	"123":  "Reject request or demand for political reform, not specified below",
	"1231": "Reject request for change in leadership",
	"1232": "Reject request for policy change",
	"1233": "Reject request for rights",
	"1234": "Reject request for change in institutions, regime",
	"124":  "Refuse to yield, not specified below",
	"1241": "Refuse to ease administrative sanctions",
	"1242": "Refuse to ease popular dissent",
	"1243": "Refuse to release persons or property",
	"1244": "Refuse to ease economic sanctions, boycott, or embargo",
	"1245": "Refuse to allow international involvement (non mediation)",
	"1246": "Refuse to de-escalate military engagement",
	"125":  "Reject proposal to meet, discuss, or negotiate",
	"126":  "Reject mediation",
	"127":  "Reject plan, agreement to settle dispute",
	"128":  "Defy norms, law",
	"129":  "Veto",
	"13":   "Threaten",
	"130":  "Threaten, not specified below",
	"131":  "Threaten non-force, not specified below",
	"1311": "Threaten to reduce or stop aid",
	"1312": "Threaten to boycott, embargo, or sanction",
	"1313": "Threaten to reduce or break relations",
	"132":  "Threaten with administrative sanctions, not specified below",
	"1321": "Threaten to impose restrictions on political freedoms",
	"1322": "Threaten to ban political parties or politicians",
	"1323": "Threaten to impose curfew",
	"1324": "Threaten to impose state of emergency or martial law",
	"133":  "Threaten political dissent, protest",
	"134":  "Threaten to halt negotiations",
	"135":  "Threaten to halt mediation",
	"136":  "Threaten to halt international involvement (non-mediation)",
	"137":  "Threaten with violent repression",
	"138":  "Threaten to use military force, not specified below",
	"1381": "Threaten blockade",
	"1382": "Threaten occupation",
	"1383": "Threaten unconventional violence",
	"1384": "Threaten conventional attack",
	"1385": "Threaten attack with WMD",
	"139":  "Give ultimatum",
	"14":   "Protest",
	"140":  "Engage in political dissent, not specified below",
	"141":  "Demonstrate or rally",
	"1411": "Demonstrate for leadership change",
	"1412": "Demonstrate for policy change",
	"1413": "Demonstrate for rights",
	"1414": "Demonstrate for change in institutions, regime",
	"142":  "Conduct hunger strike, not specified below",
	"1421": "Conduct hunger strike for leadership change",
	"1422": "Conduct hunger strike for policy change",
	"1423": "Conduct hunger strike for rights",
	"1424": "Conduct hunger strike for change in institutions, regime",
	"143":  "Conduct strike or boycott, not specified below",
	"1431": "Conduct strike or boycott for leadership change",
	"1432": "Conduct strike or boycott for policy change",
	"1433": "Conduct strike or boycott for rights",
	"1434": "Conduct strike or boycott for change in institutions, regime",
	"144":  "Obstruct passage, block",
	"1441": "Obstruct passage to demand leadership change",
	"1442": "Obstruct passage to demand policy change",
	"1443": "Obstruct passage to demand rights",
	"1444": "Obstruct passage to demand change in institutions, regime",
	"145":  "Protest violently, riot",
	"1451": "Engage in violent protest for leadership change",
	"1452": "Engage in violent protest for policy change",
	"1453": "Engage in violent protest for rights",
	"1454": "Engage in violent protest for change in institutions, regime",
	"15":   "Exhibit force posture",
	"150":  "Demonstrate military or police power, not specified below",
	"151":  "Increase police alert status",
	"152":  "Increase military alert status",
	"153":  "Mobilize or increase police power",
	"154":  "Mobilize or increase armed forces",
	"16":   "Reduce relations",
	"160":  "Reduce relations, not specified below",
	"161":  "Reduce or break diplomatic relations",
	"162":  "Reduce or stop aid, not specified below",
	"1621": "Reduce or stop economic assistance",
	"1622": "Reduce or stop military assistance",
	"1623": "Reduce or stop humanitarian assistance",
	"163":  "Impose embargo, boycott, or sanctions",
	"164":  "Halt negotiations",
	"165":  "Halt mediation",
	"166":  "Expel or withdraw, not specified below",
	"1661": "Expel or withdraw peacekeepers",
	"1662": "Expel or withdraw inspectors, observers",
	"1663": "Expel or withdraw aid agencies",
	"17":   "Coerce",
	"170":  "Coerce, not specified below",
	"171":  "Seize or damage property, not specified below",
	"1711": "Confiscate property",
	"1712": "Destroy property",
	"172":  "Impose administrative sanctions, not specified below",
	"1721": "Impose restrictions on political freedoms",
	"1722": "Ban political parties or politicians",
	"1723": "Impose curfew",
	"1724": "Impose state of emergency or martial law",
	"173":  "Arrest, detain, or charge with legal action",
	"174":  "Expel or deport individuals",
	"175":  "Use tactics of violent repression",
	"18":   "Assault",
	"180":  "Use unconventional violence, not specified below",
	"181":  "Abduct, hijack, or take hostage",
	"182":  "Physically assault, not specified below",
	"1821": "Sexually assault",
	"1822": "Torture",
	"1823": "Kill by physical assault",
	"183":  "Conduct suicide, car, or other non-military bombing, not spec below",
	"1831": "Carry out suicide bombing",
	"1832": "Carry out car bombing",
	"1833": "Carry out roadside bombing",
	"184":  "Use as human shield",
	"185":  "Attempt to assassinate",
	"186":  "Assassinate",
	"19":   "Fight",
	"190":  "Use conventional military force, not specified below",
	"191":  "Impose blockade, restrict movement",
	"192":  "Occupy territory",
	"193":  "Fight with small arms and light weapons",
	"194":  "Fight with artillery and tanks",
	"195":  "Employ aerial weapons",
	"196":  "Violate ceasefire",
	"20":   "Use unconventional mass violence",
	"200":  "Use unconventional mass violence, not specified below",
	"201":  "Engage in mass expulsion",
	"202":  "Engage in mass killings",
	"203":  "Engage in ethnic cleansing",
	"204":  "Use weapons of mass destruction, not specified below",
	"2041": "Use chemical, biological, or radiological weapons",
	"2042": "Detonate nuclear weapons",
}

// sniffGDELT reports whether b looks like a GDELT Event export: a zip
// archive (the one packed form armsdash reads: ReadGDELT says what is
// wrong with one that holds something else), or text whose first line has
// 61 (GDELT 2.0) or 57 or 58 (GDELT 1.0) tab-separated fields beginning
// with a numeric GLOBALEVENTID and an 8-digit SQLDATE.
func sniffGDELT(b []byte) bool {
	if isZip(b) {
		return true
	}
	line, _, _ := bytes.Cut(b, []byte("\n"))
	f := strings.Split(strings.TrimSuffix(string(line), "\r"), "\t")
	if len(f) != 61 && len(f) != 57 && len(f) != 58 {
		return false
	}
	return gdeltDigits(f[0]) && len(f[1]) == 8 && gdeltDigits(f[1])
}

func gdeltDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ReadGDELT reads a GDELT Event export: GDELT 2.0 (61 tab-separated
// columns, see GDELTColumns) or GDELT 1.0 (57 or 58, see GDELTV1Columns),
// with no header, either as text or as GDELT's zip of it (recognised by
// its "PK\x03\x04" magic, or "PK\x05\x06" for an empty archive; it must
// hold exactly one file, within the limits of MaxZipEntries entries and
// opt.MaxUnpacked bytes unpacked: see unzip). The version is
// set by the first line's field count; later lines must match it.
//
// Every row is checked: its field count, GLOBALEVENTID (a positive
// integer), SQLDATE (a real YYYYMMDD date), IsRootEvent (0 or 1),
// EventCode (2 to 4 digits), NumSources and NumArticles (whole numbers;
// these three may be empty, read as 0: not known) and DATEADDED. Bad rows are reported by line and column name; the file
// is refused unless opt.SkipBad.
//
// A row becomes an Event when its EventCode starts with one of
// opt.GDELTRoots (nil: DefaultGDELTCodes), both Actor1CountryCode and
// Actor2CountryCode are set, and the two differ and do not map to the same
// country (WSB and PSE are both Palestine). Codes are mapped with
// CountryByCAMEO; a code that does not map is kept as the side's name and
// listed in File.Unmapped. CAMEO region codes map to regions ("Africa").
//
// Every such row is kept, in the lead paragraph of its article
// (IsRootEvent 1) or not: IsRootEvent marks what GDELT takes for an
// article's main events, not repeats, and a visit or an agreement
// reported further down an article happened all the same. It is kept in
// Event.Root. Repeats are rows of one interaction, counted once wherever
// they are stored (see Event.Key).
//
// The Event has day precision from SQLDATE, Actors "Actor1Name;
// Actor2Name", Type from GDELTEventType, Place ActionGeo_FullName,
// NumSources, NumArticles and Root, and a
// Summary such as "Make a visit (CAMEO 042), reported by GDELT". Its
// Source names the text file (the zip member, for a zip), so a zip and its
// unpacked file give identical events; Dataset.SHA256 is that of the text
// file too, so a store refuses the second of the two as a duplicate.
// Dataset.Vintage is the latest DATEADDED of any row, as YYYY-MM-DD, and
// Dataset.Updates the span of its rows' DATEADDED, kept or not: the
// updates of GDELT the file holds.
//
// An invalid entry in opt.GDELTRoots (not 2 to 4 digits) is an error that
// is not a *ParseError.
func ReadGDELT(name string, b []byte, opt Options) (*File, error) {
	roots := opt.GDELTRoots
	if roots == nil {
		roots = DefaultGDELTCodes
	}
	for _, r := range roots {
		if len(r) < 2 || len(r) > 4 || !gdeltDigits(r) {
			return nil, fmt.Errorf("data: GDELT event root %q is not a CAMEO code of 2 to 4 digits such as \"06\" or \"042\"", r)
		}
	}
	textName := name
	if isZip(b) {
		var err error
		if b, textName, err = unzip(name, b, opt.MaxUnpacked); err != nil {
			return nil, err
		}
		if err := zipMemberError(name, textName, b); err != nil {
			return nil, err
		}
	}
	sum := sha256Hex(b) // of the export itself, so a zip and its unpacked file are one dataset
	text, err := decodeText(name, b)
	if err != nil {
		return nil, err
	}
	lines := splitLines(text)
	first := -1
	for i, l := range lines {
		if strings.TrimSpace(l) != "" {
			first = i
			break
		}
	}
	if first < 0 {
		return nil, &ParseError{File: name, Line: 1, Msg: "file is empty; expected GDELT event rows (61 tab-separated fields for GDELT 2.0)"}
	}
	var lay gdeltLayout
	switch n := strings.Count(lines[first], "\t") + 1; n {
	case 61:
		lay = gdeltV2
	case 57, 58:
		lay = gdeltV1
	default:
		return nil, &ParseError{File: name, Line: first + 1, Msg: fmt.Sprintf(
			"has %d tab-separated fields; a GDELT 2.0 event export has 61 (a GDELT 1.0 file 57 or 58): this is not a GDELT event file, or not tab-separated", n)}
	}
	f := &File{Dataset: Dataset{
		Name:        name,
		Format:      FormatGDELT,
		Source:      "GDELT Project, GDELT " + lay.version + " Event Database",
		Attribution: "Data from the GDELT Project (https://www.gdeltproject.org/)",
		Licence:     "GDELT terms of use: free for unrestricted use with citation of the GDELT Project",
		SHA256:      sum,
	}, Bytes: int64(len(b))}
	source := "GDELT " + lay.version + " event export " + textName
	rj := rejects{skipBad: opt.SkipBad}
	var unmapped Unmapped
	added := map[string]bool{} // DATEADDED of the rows read, as Updates holds them
	good := 0                  // rows read without error, kept or not
	for i := first; i < len(lines); i++ {
		if strings.TrimSpace(lines[i]) == "" {
			continue
		}
		row := strings.Split(lines[i], "\t")
		ev, at, keep, perr := parseGDELTRow(name, i+1, row, lay, roots, source, &unmapped)
		if perr != nil {
			rj.add(perr)
			continue
		}
		good++
		added[at] = true
		if keep {
			f.Events = append(f.Events, ev)
		}
	}
	if err := rj.result(name, good, first+1); err != nil {
		return nil, err
	}
	if len(f.Events) == 0 {
		return nil, rj.nothing(name, first+1, fmt.Sprintf(
			"none of its %d events is kept (CAMEO codes %s between two countries that differ)", good, strings.Join(roots, ", ")))
	}
	f.Skipped = rj.skipped
	for at := range added {
		u := &f.Dataset.Updates
		if u.First == "" || at < u.First {
			u.First = at
		}
		u.Last = max(u.Last, at)
		u.Count++
	}
	f.Dataset.Vintage = f.Dataset.Updates.Last[:len(time.DateOnly)]
	f.Dataset.Rows = len(f.Events)
	f.Unmapped = unmapped.Names()
	return f, nil
}

// parseGDELTRow checks one row and turns it into an Event when it passes
// the filters (keep). added is its DATEADDED in lay.updateLayout.
func parseGDELTRow(name string, line int, row []string, lay gdeltLayout, roots []string, source string, unmapped *Unmapped) (ev Event, added string, keep bool, perr *ParseError) {
	bad := func(col int, msg string) *ParseError {
		return cellError(name, line, lay.cols, col, msg)
	}
	okCount := false
	for _, n := range lay.fields {
		okCount = okCount || len(row) == n
	}
	if !okCount {
		want := "61"
		if lay.version == "1.0" {
			want = "57 or 58"
		}
		return ev, "", false, &ParseError{File: name, Line: line, Msg: fmt.Sprintf(
			"has %d tab-separated fields; expected %s as in the file's first line (GDELT %s)", len(row), want, lay.version)}
	}
	if id, err := strconv.ParseInt(row[gdeltID], 10, 64); err != nil || id <= 0 {
		return ev, "", false, bad(gdeltID, fmt.Sprintf("%q is not an event number (a positive integer)", row[gdeltID]))
	}
	date, err := time.Parse("20060102", row[gdeltSQLDate])
	if err != nil || !gdeltDigits(row[gdeltSQLDate]) {
		return ev, "", false, bad(gdeltSQLDate, fmt.Sprintf("%q is not a date of the form YYYYMMDD", row[gdeltSQLDate]))
	}
	root := row[gdeltIsRoot]
	if root != "0" && root != "1" && root != "" {
		return ev, "", false, bad(gdeltIsRoot, fmt.Sprintf("%q is not 0 or 1", root))
	}
	code := row[gdeltEventCode]
	if len(code) < 2 || len(code) > 4 || !gdeltDigits(code) {
		return ev, "", false, bad(gdeltEventCode, fmt.Sprintf("%q is not a CAMEO event code (2 to 4 digits, e.g. 042)", code))
	}
	var counts [2]int // 0 when empty: not known
	for i, col := range []int{gdeltNumSources, gdeltNumArticles} {
		if row[col] == "" {
			continue
		}
		n, err := strconv.Atoi(row[col])
		if err != nil || !gdeltDigits(row[col]) {
			return ev, "", false, bad(col, fmt.Sprintf("%q is not a count (a whole number)", row[col]))
		}
		counts[i] = n
	}
	a := row[lay.added]
	t, err := time.Parse(lay.addedLayout, a)
	if err != nil || !gdeltDigits(a) {
		return ev, "", false, bad(lay.added, fmt.Sprintf("%q is not a timestamp of the form %s", a, lay.addedLayoutDisplay))
	}
	added = t.Format(lay.updateLayout)

	matched := false
	for _, r := range roots {
		matched = matched || strings.HasPrefix(code, r)
	}
	cc1, cc2 := strings.TrimSpace(row[gdeltActor1CC]), strings.TrimSpace(row[gdeltActor2CC])
	if !matched || cc1 == "" || cc2 == "" || cc1 == cc2 {
		return ev, added, false, nil
	}
	side := func(cc string) string {
		if c, ok := CountryByCAMEO(cc); ok {
			return c.Name
		}
		unmapped.Add(cc)
		return cc
	}
	sideA, sideB := side(cc1), side(cc2)
	if sideA == sideB {
		return ev, added, false, nil
	}
	var actors []string
	for _, n := range []string{row[gdeltActor1Name], row[gdeltActor2Name]} {
		if n = strings.TrimSpace(n); n != "" {
			actors = append(actors, n)
		}
	}
	desc := CAMEODescription(code)
	if desc == "" {
		desc = "Event"
	}
	url := ""
	if lay.url < len(row) {
		url = strings.TrimSpace(row[lay.url])
	}
	ev = Event{
		Date:      date.Format(time.DateOnly),
		Precision: "day",
		SideA:     sideA,
		SideB:     sideB,
		Actors:    strings.Join(actors, "; "),
		Type:      GDELTEventType(code),
		Place:     strings.TrimSpace(row[lay.place]),
		Summary:   fmt.Sprintf("%s (CAMEO %s), reported by GDELT", desc, code),
		Source:    source,
		SourceID:  row[gdeltID],
		Code:      code,
		SourceURL: url,

		NumSources:  counts[0],
		NumArticles: counts[1],
		Root:        root == "1",
	}
	return ev, added, true, nil
}
