module github.com/ftpscope/ftpscope

go 1.26.8

require github.com/goccy/go-yaml v1.19.2

require goftp.io/server/v2 v2.0.3 // indirect
