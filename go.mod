module github.com/ftpscope/ftpscope

go 1.26.8
