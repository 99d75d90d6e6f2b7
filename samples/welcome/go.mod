module welcome

go 1.21
