package data

// binaryReaders lists formats recognised from raw bytes, before decoding.
var binaryReaders = []reader{}
